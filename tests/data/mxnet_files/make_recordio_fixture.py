"""Write records.rec / records.idx with the real MXNet 1.9.1 (see README.md in this folder).

Run with the oracle's Python: ~/.cache/mxref-venv/bin/python make_recordio_fixture.py DIR
"""
import os
import sys

import mxnet as mx

# (key, header or None, payload): payloads cover an empty record, a length that needs padding,
# and the RecordIO magic word at aligned offsets (MXNet splits such records into parts).
MAGIC = b"\x0a\x23\xd7\xce"
RECORDS = [
    (0, mx.recordio.IRHeader(0, 3.5, 7, 0), b"first"),
    (5, mx.recordio.IRHeader(0, [1.0, -2.5, 4.0], 8, 1), b"array label"),
    (2, None, b""),
    (9, None, MAGIC + b"xy"),
    (3, None, b"12345678" + MAGIC + b"zz" + MAGIC),
    (7, mx.recordio.IRHeader(0, 0.0, 2**40, 0), bytes(range(256))),
]


def main(out):
    rec = mx.recordio.MXIndexedRecordIO(os.path.join(out, "records.idx"),
                                        os.path.join(out, "records.rec"), "w")
    for key, header, payload in RECORDS:
        rec.write_idx(key, payload if header is None else mx.recordio.pack(header, payload))
    rec.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
