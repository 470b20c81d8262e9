"""Writes signatures.json: the positional parameter names of every public function of MXNet
1.9.1's mx.nd (and of mx.nd.linalg/random/contrib), in order, without out/name/**kwargs.

Run in the MXNet oracle from the repository root:
    /work/shared/tools/mxref -f tests/data/legacy_nd/make_signatures.py
"""
import inspect
import json

import mxnet as mx


def positional(f):
    return [p.name for p in inspect.signature(f).parameters.values()
            if p.kind in (p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL)
            and p.name not in ("out", "name")]


def public(module, prefix=""):
    found = {}
    for n in sorted(x for x in dir(module) if not x.startswith("_")):
        f = getattr(module, n)
        if callable(f) and not inspect.isclass(f):
            try:
                found[prefix + n] = positional(f)
            except (TypeError, ValueError):
                pass
    return found


table = public(mx.nd)
for sub in ("linalg", "random", "contrib"):
    table.update(public(getattr(mx.nd, sub), sub + "."))
with open("tests/data/legacy_nd/signatures.json", "w") as f:
    json.dump(table, f, indent=0, sort_keys=True)
print(len(table))
