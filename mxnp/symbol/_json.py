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


def to_dict(outputs, top: bool = True) -> dict:
    """The JSON object of a graph with heads ``outputs`` (``(node, index)`` pairs); a
    control-flow node's bodies are graphs of their own under its ``subgraphs`` (without the
    ``attrs`` a top graph has)."""
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
        if node.subgraphs:
            entry["subgraphs"] = [to_dict(heads, top=False) for heads in node.subgraphs]
        out_nodes.append(entry)
        row_ptr.append(row_ptr[-1] + node.stored_outputs())
    graph = {"nodes": out_nodes,
             "arg_nodes": [i for i, n in enumerate(nodes) if n.is_variable],
             "node_row_ptr": row_ptr,
             "heads": [[index[id(n)], i, 0] for n, i in outputs]}
    if top:
        graph["attrs"] = _graph_attrs()
    return graph


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
    a list of more than ten items over several lines, everything else inline; a node's
    subgraphs as graphs."""
    if isinstance(value, dict) and "node_row_ptr" in value:
        return _graph_text(value, indent)
    if isinstance(value, dict) and len(value) > 1:
        return _block([f'"{k}": {_text(v, indent + "  ")}' for k, v in value.items()],
                      indent, "{", "}")
    if isinstance(value, list) and (len(value) > 10 or
                                    any(isinstance(v, dict) for v in value)):
        return _block([_text(v, indent + "  ") for v in value], indent, "[", "]")
    return json.dumps(value)


def _graph_text(graph: dict, indent: str) -> str:
    nodes = [_text(node, indent + "    ") for node in graph["nodes"]]
    items = ['"nodes": ' + _block(nodes, indent + "  ", "[", "]")]
    items += [f'"{k}": {_text(graph[k], indent + "  ")}' for k in
              ("arg_nodes", "node_row_ptr", "heads", "attrs") if k in graph]
    return _block(items, indent, "{", "}")


def dumps(outputs) -> str:
    """``to_dict`` as text, laid out as MXNet writes it."""
    return _graph_text(to_dict(outputs), "")


def loads(text: str) -> list:
    """The heads (``(node, index)`` pairs) of the graph in a JSON string."""
    try:
        graph = json.loads(text)
    except (ValueError, TypeError) as e:
        raise MXNetError(f"mx.sym.load_json: not an MXNet symbol JSON ({e}); expected an "
                         "object with 'nodes' and 'heads'") from e
    return _from_dict(graph)


def _from_dict(graph) -> list:
    try:
        entries, heads = graph["nodes"], graph["heads"]
    except (TypeError, KeyError) as e:
        raise MXNetError(f"mx.sym.load_json: not an MXNet symbol JSON ({e!r} missing); "
                         "expected an object with 'nodes' and 'heads'") from e
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
        nodes.append(Node(op, entry["name"], attrs, inputs, count or 1,
                          [_from_dict(g) for g in entry.get("subgraphs", ())]))
    try:
        return [(nodes[h[0]], h[1]) for h in heads]
    except (IndexError, TypeError) as e:
        raise MXNetError("mx.sym.load_json: a head names a node that is not in the graph") \
            from e
