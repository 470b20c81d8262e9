"""MXNet's symbol JSON: ``nodes`` (op, name, attrs, inputs as ``[node, output, version]``),
``arg_nodes``, ``node_row_ptr`` (where each node's outputs start), ``heads`` and ``attrs``."""
from __future__ import annotations

import json

import numpy as onp

from .._mode import is_np_shape
from ..base import MXNetError
from . import _opdefs
from ._node import Node, topo_order

MXNET_VERSION = 10901
_DTYPE_FLAGS = {"float32": 0, "float64": 1, "float16": 2, "uint8": 3, "int32": 4, "int8": 5,
                "int64": 6, "bool": 7}
FLAG_DTYPES = {v: k for k, v in _DTYPE_FLAGS.items()}


def dtype_flag(dtype) -> int:
    """MXNet's number for a dtype (``__dtype__`` attributes)."""
    name = onp.dtype(dtype).name
    if name not in _DTYPE_FLAGS:
        raise TypeError(f"mx.sym: dtype {name} has no MXNet type flag; use one of "
                        f"{sorted(_DTYPE_FLAGS)}")
    return _DTYPE_FLAGS[name]


def to_dict(outputs) -> dict:
    """The JSON object of a graph with heads ``outputs`` (``(node, index)`` pairs)."""
    nodes = topo_order(outputs)
    index = {id(n): i for i, n in enumerate(nodes)}
    out_nodes, row_ptr = [], [0]
    for node in nodes:
        aux = set(_opdefs.aux_positions(node)) if not node.is_variable else set()
        entry = {"op": "null" if node.is_variable else node.op, "name": node.name}
        if node.attrs:
            entry["attrs"] = {k: node.attrs[k] for k in sorted(node.attrs)}
        entry["inputs"] = [[index[id(n)], i, int(k in aux)] for k, (n, i) in
                           enumerate(node.inputs)]
        out_nodes.append(entry)
        row_ptr.append(row_ptr[-1] + node.stored_outputs())
    return {"nodes": out_nodes,
            "arg_nodes": [i for i, n in enumerate(nodes) if n.is_variable],
            "node_row_ptr": row_ptr,
            "heads": [[index[id(n)], i, 0] for n, i in outputs],
            "attrs": _graph_attrs()}


def _graph_attrs() -> dict:
    if is_np_shape():
        return {"is_np_shape": ["int", 1], "mxnet_version": ["int", MXNET_VERSION]}
    return {"mxnet_version": ["int", MXNET_VERSION]}


def _block(items: list, indent: str, open_: str, close: str) -> str:
    # MXNet's writer ends every item but the last with ", " and a newline
    inner = ", \n".join(indent + "  " + item for item in items)
    return f"{open_}\n{inner}\n{indent}{close}"


def _text(value, indent: str) -> str:
    """One JSON value as MXNet (dmlc's writer) lays it out: an object of two or more keys and
    a list of more than ten items over several lines, everything else inline."""
    if isinstance(value, dict) and len(value) > 1:
        return _block([f'"{k}": {_text(v, indent + "  ")}' for k, v in value.items()],
                      indent, "{", "}")
    if isinstance(value, list) and len(value) > 10:
        return _block([_text(v, indent + "  ") for v in value], indent, "[", "]")
    return json.dumps(value)


def dumps(outputs) -> str:
    """``to_dict`` as text, laid out as MXNet writes it."""
    graph = to_dict(outputs)
    nodes = [_text(node, "    ") for node in graph["nodes"]]
    top = ['"nodes": ' + _block(nodes, "  ", "[", "]")]
    top += [f'"{k}": {_text(graph[k], "  ")}' for k in ("arg_nodes", "node_row_ptr", "heads",
                                                         "attrs")]
    return _block(top, "", "{", "}")


def loads(text: str) -> list:
    """The heads (``(node, index)`` pairs) of the graph in a JSON string."""
    try:
        graph = json.loads(text)
        entries, heads = graph["nodes"], graph["heads"]
    except (ValueError, TypeError, KeyError) as e:
        raise MXNetError(f"mx.sym.load_json: not an MXNet symbol JSON ({e}); expected an "
                         "object with 'nodes' and 'heads'") from e
    row_ptr = graph.get("node_row_ptr")
    nodes = []
    for k, entry in enumerate(entries):
        op = entry.get("op", "null")
        # files from MXNet before 1.0 keep the attributes under "attr" or "param"
        attrs = entry.get("attrs") or entry.get("attr") or entry.get("param") or {}
        attrs = {str(key): str(value) for key, value in attrs.items()}
        try:
            inputs = [(nodes[e[0]], e[1]) for e in entry.get("inputs", [])]
        except (IndexError, TypeError) as e:
            raise MXNetError(f"mx.sym.load_json: node {k} ({entry.get('name')!r}) takes an "
                             "input from a node that is not before it") from e
        if op == "null":
            nodes.append(Node(None, entry["name"], attrs))
            continue
        count = _opdefs.num_outputs(op, attrs)
        if count is None and row_ptr:
            count = row_ptr[k + 1] - row_ptr[k]
        nodes.append(Node(op, entry["name"], attrs, inputs, count or 1))
    try:
        return [(nodes[h[0]], h[1]) for h in heads]
    except (IndexError, TypeError) as e:
        raise MXNetError("mx.sym.load_json: a head names a node that is not in the graph") \
            from e
