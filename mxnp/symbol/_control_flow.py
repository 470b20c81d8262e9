"""``mx.sym.contrib``'s control flow: ``foreach``, ``while_loop`` and ``cond`` as MXNet's
``_foreach``, ``_while_loop`` and ``_cond`` nodes, which hold their bodies as subgraphs.

A body is built by calling the user's function on new variables inside
``AttrScope(__subgraph_name__=<unique name>)``, as MXNet does; what the body reaches that was
made outside the scope is cut off and becomes an input of the node (a variable named after
the output it stands for). The node's function runs a body through ``executor.evaluate``,
step by step, so recording for gradients needs nothing more.
"""
from __future__ import annotations

from .. import autograd
from .. import numpy as np
from ..attribute import AttrScope, current
from ..ndarray._control_flow import _scalar, flatten, regroup
from ..ndarray._define import legacy_op
from . import _infer, _opdefs
from ._node import Node, topo_order
from .symbol import Symbol, apply_op, var

__all__ = ["cond", "foreach", "while_loop"]


def _unique(name: str) -> str:
    """MXNet's name for a body: ``<outer body>$<name><count>``."""
    outer = current().get().get("__subgraph_name__", "")
    if outer:
        name = f"{outer}${name}"
    AttrScope._subgraph_names[name] += 1
    return f"{name}{AttrScope._subgraph_names[name] - 1}"


def _placeholder(sym) -> Symbol:
    """The body's variable standing for the outer ``sym`` (MXNet's ``<name>-<index>``)."""
    node, index = sym._outputs[0]
    return var(f"{node.name}-{index}")


def _body(scope: str, outputs: list):
    """The subgraph of ``outputs`` (Symbols made in the body ``scope``) and, by input name,
    the outer output each of its inputs stands for. An output that is an input or was made
    outside goes through ``identity``, as in MXNet."""
    from . import identity
    heads = []
    with AttrScope(__subgraph_name__=scope):
        for s in outputs:
            node, _ = s._outputs[0]
            if node.is_variable or node.attrs.get("__subgraph_name__") != scope:
                s = identity(s)
            heads.extend(s._outputs)
    outer, copies = {}, {}

    def edge(node, index):
        if node.is_variable:
            outer.setdefault(node.name, (node, 0))
            return node, 0
        if node.attrs.get("__subgraph_name__") != scope:  # made outside: cut off
            name = node.output_name(index)
            outer[name] = (node, index)
            if name not in copies:
                copies[name] = Node(None, name)
            return copies[name], 0
        return copies[id(node)], index

    for node in topo_order(heads):
        if not node.is_variable and node.attrs.get("__subgraph_name__") == scope:
            copies[id(node)] = Node(node.op, node.name, node.attrs,
                                    [edge(n, i) for n, i in node.inputs], node.num_outputs,
                                    node.subgraphs)
    return [edge(n, i) for n, i in heads], outer


def input_names(heads) -> list:
    """The names of a subgraph's inputs, in MXNet's order."""
    return [n.name for n in topo_order(heads) if n.is_variable]


def _node(op: str, inputs: list, attrs: dict, subgraphs: list) -> Symbol:
    attrs = {k: str(v) for k, v in attrs.items()}
    attrs["num_args"] = str(len(inputs) + len(subgraphs))
    out = apply_op(op, [Symbol([e]) for e in inputs], attrs, None, op)
    out._outputs[0][0].subgraphs = subgraphs
    return out


def _union(bodies) -> tuple:
    """The inputs of several bodies, merged by name, and where each body finds its own."""
    inputs, where, locs = [], {}, []
    for heads, outer in bodies:
        mine = []
        for name in input_names(heads):
            if name not in where:
                where[name] = len(inputs)
                inputs.append(outer[name])
            mine.append(where[name])
        locs.append(mine)
    return inputs, locs


def foreach(body, data, init_states, name="foreach"):
    """A node running ``body(item, states) -> (outs, states)`` over axis 0 of ``data``: the
    outs stacked, and the last states."""
    flat_data, data_fmt = flatten(data, "foreach input", Symbol)
    flat_states, state_fmt = flatten(init_states, "foreach states", Symbol)
    scope = _unique(name)
    with AttrScope(__subgraph_name__=scope):
        items = [_placeholder(s) for s in flat_data]
        states = [_placeholder(s) for s in flat_states]
        outs, new_states = body(regroup(items, data_fmt)[0], regroup(states, state_fmt)[0])
        outs, out_fmt = flatten(outs, "foreach output", Symbol)
        new_states, new_fmt = flatten(new_states, "foreach loop_vars", Symbol)
    if len(new_states) != len(flat_states):
        raise ValueError("foreach: the body must return as many states as it is given")
    heads, outer = _body(scope, outs + new_states)
    names = input_names(heads)
    locs = []
    for what, group in (("data", items), ("state", states)):
        for s in group:
            if s.name not in names:
                raise AssertionError(f"the {what} arrays have to be used in the loop body")
            locs.append(names.index(s.name))
    remain = [k for k, n in enumerate(names) if k not in locs]
    n_data = len(items)
    out = _node("_foreach", [s._outputs[0] for s in flat_data + flat_states] +
                [outer[names[k]] for k in remain],
                {"in_data_locs": locs[:n_data], "in_state_locs": locs[n_data:],
                 "remain_locs": remain, "num_out_data": len(outs),
                 "num_outputs": len(outs) + len(new_states)}, [heads])
    results = [out[i] for i in range(len(outs) + len(new_states))]
    return (regroup(results[:len(outs)], out_fmt)[0],
            regroup(results[len(outs):], new_fmt)[0])


def _subgraph(scope_name: str, loop_vars: list, fmt, func):
    """A body made by ``func(placeholders)``: ``(heads and outer inputs, outputs' count,
    its outputs' format)``."""
    scope = _unique(scope_name)
    with AttrScope(__subgraph_name__=scope):
        placeholders = regroup([_placeholder(s) for s in loop_vars], fmt)[0] if loop_vars \
            else []
        outs, fmt_out = func(placeholders)
    heads, outer = _body(scope, outs)
    for s in loop_vars:  # a placeholder stands for its loop var
        node, index = s._outputs[0]
        if f"{node.name}-{index}" in outer:
            outer[f"{node.name}-{index}"] = (node, index)
    return (heads, outer), len(outs), fmt_out


def while_loop(cond, func, loop_vars, max_iterations=None, name="while_loop"):
    """A node running ``func(*vars) -> (outs, vars)`` while ``cond(*vars)``, at most
    ``max_iterations`` times: the outs stacked (padded to ``max_iterations`` rows) and the
    last loop vars."""
    flat_vars, var_fmt = flatten(loop_vars, "while loop_vars", Symbol)
    if max_iterations is None:
        raise ValueError("max_iterations should be specified")
    max_iterations = _scalar(max_iterations, int, "max_iteration")
    if len(flat_vars) == 0:
        raise ValueError("loop_vars should contain at least one element")

    def run_cond(vars_):
        result = cond(*vars_)
        if not isinstance(result, Symbol):
            raise ValueError("Return of cond must be a Symbol")
        return [result], None

    step_fmt = []

    def run_func(vars_):
        outs, new_vars = func(*vars_)
        outs = [] if outs is None else list(outs) if isinstance(outs, tuple) else outs
        new_vars = [] if new_vars is None else \
            list(new_vars) if isinstance(new_vars, tuple) else new_vars
        outs, out_fmt = flatten(outs, "while output", Symbol)
        new_vars, _ = flatten(new_vars, "while loop_vars", Symbol)
        if len(new_vars) != len(flat_vars):
            raise ValueError("The number of loop_vars should be consistent during the loop")
        step_fmt.append(len(outs))
        return outs + new_vars, out_fmt

    cond_g, _, _ = _subgraph(name + "_cond", flat_vars, var_fmt, run_cond)
    func_g, _, out_fmt = _subgraph(name + "_func", flat_vars, var_fmt, run_func)
    n_out = step_fmt[0]
    inputs, (cond_locs, func_locs) = _union([cond_g, func_g])
    func_names = input_names(func_g[0])
    var_locs = []
    for k, s in enumerate(flat_vars, 1):
        placeholder = "{}-{}".format(s._outputs[0][0].name, s._outputs[0][1])
        if placeholder not in func_names:
            raise ValueError(f"The {k}-th loop_var doesn't involve into the computation")
        var_locs.append(func_names.index(placeholder))
    count = n_out + len(flat_vars)
    out = _node("_while_loop", inputs,
                {"cond_input_locs": cond_locs, "func_input_locs": func_locs,
                 "func_var_locs": var_locs, "max_iterations": max_iterations,
                 "num_out_data": n_out, "num_outputs": count}, [cond_g[0], func_g[0]])
    results = [out[i] for i in range(count)]
    return regroup(results[:n_out], out_fmt)[0], regroup(results[n_out:], var_fmt)[0]


def cond(pred, then_func, else_func, name="cond"):
    """A node computing ``then_func()`` when ``pred`` is non-zero, else ``else_func()``."""
    def body(make):
        def run(_):
            outs, fmt = flatten(make(), "cond outputs", Symbol)
            return outs, fmt
        return run

    pred_g, n_pred, _ = _subgraph(name + "_pred", [], None, body(lambda: pred))
    if n_pred != 1:
        raise ValueError("pred should always be a single output")
    then_g, n_then, then_fmt = _subgraph(name + "_then", [], None, body(then_func))
    else_g, n_else, _ = _subgraph(name + "_else", [], None, body(else_func))
    if n_then != n_else:
        raise ValueError("Number of outputs differs between then-branch and else-branch")
    inputs, (pred_locs, then_locs, else_locs) = _union([pred_g, then_g, else_g])
    out = _node("_cond", inputs, {"cond_input_locs": pred_locs, "then_input_locs": then_locs,
                                  "else_input_locs": else_locs, "num_outputs": n_then},
                [pred_g[0], then_g[0], else_g[0]])
    return regroup([out[i] for i in range(n_then)], then_fmt)[0]


# ---- the nodes' functions -------------------------------------------------------------------
def _run(heads, names, values) -> list:
    from .executor import evaluate
    return evaluate(heads, dict(zip(names, values)))


def _empty_rows(heads, names, values, count: int, rows: int) -> list:
    """Zeros of ``rows`` steps of the first ``count`` outputs of a body that never ran: their
    shapes and dtypes from one run that is not recorded."""
    with autograd.pause():
        outs = _run(heads, names, values)[:count]
    return [np.zeros((rows, *o.shape), dtype=o.dtype, device=o.device) for o in outs]


@legacy_op("_foreach", inputs=(), variadic=True, num_outputs=lambda a: a["num_outputs"])
def _foreach_op(*inputs, subgraphs, num_outputs, num_out_data, in_data_locs, in_state_locs,
                remain_locs):
    """The ``_foreach`` node: its body over axis 0 of the data inputs."""
    heads, = subgraphs
    names = input_names(heads)
    n_data, n_states = len(in_data_locs), len(in_state_locs)
    data, states = inputs[:n_data], list(inputs[n_data:n_data + n_states])
    order = [names[k] for k in (*in_data_locs, *in_state_locs, *remain_locs)]
    rest = list(inputs[n_data + n_states:])
    steps = []
    for i in range(data[0].shape[0]):
        res = _run(heads, order, [d[i] for d in data] + states + rest)
        steps.append(res[:num_out_data])
        states = res[num_out_data:]
    if not steps:
        first = [np.zeros(d.shape[1:], dtype=d.dtype, device=d.device) for d in data]
        return _empty_rows(heads, order, first + states + rest, num_out_data, 0) + states
    return [np.stack(items) for items in zip(*steps)] + states


@legacy_op("_while_loop", inputs=(), variadic=True, num_outputs=lambda a: a["num_outputs"])
def _while_loop_op(*inputs, subgraphs, num_outputs, num_out_data, max_iterations,
                   cond_input_locs, func_input_locs, func_var_locs):
    """The ``_while_loop`` node: its func body while its cond body gives non-zero."""
    cond_g, func_g = subgraphs
    cond_names, func_names = input_names(cond_g), input_names(func_g)
    values = list(inputs)
    var_at = [func_input_locs[k] for k in func_var_locs]
    steps = []
    while len(steps) < max_iterations and _scalar(
            _run(cond_g, cond_names, [values[k] for k in cond_input_locs])[0], bool,
            "Return value of cond"):
        res = _run(func_g, func_names, [values[k] for k in func_input_locs])
        steps.append(res[:num_out_data])
        for k, v in zip(var_at, res[num_out_data:]):
            values[k] = v
    final = [values[k] for k in var_at]
    if not steps:
        return _empty_rows(func_g, func_names, [values[k] for k in func_input_locs],
                           num_out_data, max_iterations) + final
    outs = []
    for items in zip(*steps):
        rows = [np.expand_dims(x, 0) for x in items]
        if len(rows) < max_iterations:
            rows.append(np.zeros((max_iterations - len(rows), *items[0].shape),
                                 dtype=items[0].dtype, device=items[0].device))
        outs.append(np.concatenate(rows))
    return outs + final


@legacy_op("_cond", inputs=(), variadic=True, num_outputs=lambda a: a["num_outputs"])
def _cond_op(*inputs, subgraphs, num_outputs, cond_input_locs, then_input_locs,
             else_input_locs):
    """The ``_cond`` node: its then body when its pred body gives non-zero, else its else."""
    pred_g, then_g, else_g = subgraphs
    pred = _run(pred_g, input_names(pred_g), [inputs[k] for k in cond_input_locs])[0]
    heads, locs = (then_g, then_input_locs) if _scalar(pred, bool, "pred") else \
        (else_g, else_input_locs)
    out = _run(heads, input_names(heads), [inputs[k] for k in locs])
    return out if num_outputs > 1 else out[0]


# ---- shape inference through the bodies -------------------------------------------------------
def _rows(count, shape):
    return None if shape is None else (count, *shape)


def _foreach_shapes(node, ins, outs):
    """Shapes a ``_foreach`` node's body tells: items are the data's rows, states keep their
    shapes, outputs are stacked rows."""
    a = _opdefs.parse(node.op, node.attrs)
    heads, = node.subgraphs
    names = input_names(heads)
    n_data, n_out = len(a["in_data_locs"]), a["num_out_data"]
    locs = [*a["in_data_locs"], *a["in_state_locs"], *a["remain_locs"]]
    steps = next((s[0] for s in ins[:n_data] if s is not None), _infer._UNK)
    given = {}
    for k, (loc, shape) in enumerate(zip(locs, ins)):
        state_out = outs[n_out + k - n_data] if n_data <= k < len(a["in_state_locs"]) + n_data \
            else None
        shape = shape if shape is not None else state_out
        given[names[loc]] = shape[1:] if k < n_data and shape is not None else shape
    found_in, found_out = _infer.solve_body(heads, given)
    new_ins = [_rows(steps, found_in[names[loc]]) if k < n_data else found_in[names[loc]]
               for k, loc in enumerate(locs)]
    return new_ins, [_rows(steps, s) for s in found_out[:n_out]] + found_out[n_out:]


def _while_loop_shapes(node, ins, outs):
    """Shapes a ``_while_loop`` node's bodies tell: loop vars keep their shapes, outputs are
    ``max_iterations`` stacked rows."""
    a = _opdefs.parse(node.op, node.attrs)
    cond_g, func_g = node.subgraphs
    n_out, locs = a["num_out_data"], a["func_input_locs"]
    names = input_names(func_g)
    shapes = list(ins)
    for j, k in enumerate(a["func_var_locs"]):  # a loop var's output has its input's shape
        if shapes[locs[k]] is None:
            shapes[locs[k]] = outs[n_out + j]
    found_in, found_out = _infer.solve_body(func_g, {n: shapes[i] for n, i in
                                                     zip(names, locs)})
    for n, i in zip(names, locs):
        shapes[i] = found_in[n] if shapes[i] is None else shapes[i]
    cond_in, _ = _infer.solve_body(cond_g, {n: shapes[i] for n, i in
                                            zip(input_names(cond_g), a["cond_input_locs"])})
    for n, i in zip(input_names(cond_g), a["cond_input_locs"]):
        shapes[i] = cond_in[n] if shapes[i] is None else shapes[i]
    return shapes, [_rows(a["max_iterations"], s) for s in found_out[:n_out]] + \
        found_out[n_out:]


def _cond_shapes(node, ins, outs):
    """Shapes a ``_cond`` node's branches tell (either branch's outputs)."""
    a = _opdefs.parse(node.op, node.attrs)
    shapes, result = list(ins), list(outs)
    for heads, locs in zip(node.subgraphs, (a["cond_input_locs"], a["then_input_locs"],
                                            a["else_input_locs"])):
        names = input_names(heads)
        found_in, found_out = _infer.solve_body(heads, {n: shapes[i] for n, i in
                                                        zip(names, locs)})
        for n, i in zip(names, locs):
            shapes[i] = found_in[n] if shapes[i] is None else shapes[i]
        if heads is not node.subgraphs[0]:
            result = [r if r is not None else f for r, f in zip(result, found_out)]
    return shapes, result


_infer.SUBGRAPH_RULES.update({"_foreach": _foreach_shapes, "_while_loop": _while_loop_shapes,
                              "_cond": _cond_shapes})


# ---- dtypes through the bodies ----------------------------------------------------------------
def _foreach_types(node, ins, outs):
    """A ``_foreach`` body's dtypes: items take their data's, states keep theirs."""
    a = _opdefs.parse(node.op, node.attrs)
    heads, = node.subgraphs
    names = input_names(heads)
    n_out = a["num_out_data"]
    locs = [*a["in_data_locs"], *a["in_state_locs"], *a["remain_locs"]]
    n_first = len(a["in_data_locs"])
    given = {names[loc]: t if t is not None or not n_first <= k < n_first + len(
        a["in_state_locs"]) else outs[n_out + k - n_first] for k, (loc, t) in
        enumerate(zip(locs, ins))}
    found_in, found_out = _infer.solve_body_types(heads, given)
    return [found_in[names[loc]] for loc in locs], found_out


def _body_types(node, ins, outs, bodies, out_body: int, var_locs=None):
    """The dtypes bodies tell, each body reading the node's inputs at its locations; the
    outputs from body ``out_body`` (a loop var's output also sets its input, ``var_locs``)."""
    types = list(ins)
    a = _opdefs.parse(node.op, node.attrs)
    if var_locs is not None:
        for j, k in enumerate(var_locs):
            types[k] = types[k] if types[k] is not None else outs[a["num_out_data"] + j]
    result = list(outs)
    for b, (heads, locs) in enumerate(bodies):
        names = input_names(heads)
        found_in, found_out = _infer.solve_body_types(heads, {n: types[i] for n, i in
                                                              zip(names, locs)})
        for n, i in zip(names, locs):
            types[i] = types[i] if types[i] is not None else found_in[n]
        if b == out_body:
            result = found_out
    return types, result


def _while_loop_types(node, ins, outs):
    a = _opdefs.parse(node.op, node.attrs)
    cond_g, func_g = node.subgraphs
    var_locs = [a["func_input_locs"][k] for k in a["func_var_locs"]]
    return _body_types(node, ins, outs, [(func_g, a["func_input_locs"]),
                                         (cond_g, a["cond_input_locs"])], 0, var_locs)


def _cond_types(node, ins, outs):
    a = _opdefs.parse(node.op, node.attrs)
    return _body_types(node, ins, outs, list(zip(node.subgraphs, (
        a["cond_input_locs"], a["then_input_locs"], a["else_input_locs"]))), 1)


_infer.SUBGRAPH_TYPE_RULES.update({"_foreach": _foreach_types, "_while_loop": _while_loop_types,
                                   "_cond": _cond_types})
