"""einsum, for any subscripts (``...``, implicit output, repeated indices), with its VJP.

Subscripts are first made explicit: ``...`` becomes letters of its own and the output is
spelled out. The VJP w.r.t. one operand is then another einsum of the cotangent with the other
operands, so gradients of any order are einsums too.
"""
from __future__ import annotations

import string

from ...base import OpError
from ..checks import require_array
from ..creation import eye
from ..primitive import Primitive, write_out
from ..shape import _same_dtype, broadcast_to, reshape

_LETTERS = string.ascii_letters


def _split_ellipsis(name, term, ndim):
    """A term's letters with its ``...`` expanded to ``ndim - len(letters)`` placeholders."""
    if term.count("...") > 1 or "." in term.replace("...", ""):
        raise OpError(f"{name}: invalid subscript {term!r}")
    if any(c not in _LETTERS for c in term.replace("...", "")):
        raise OpError(f"{name}: subscripts must be letters, got {term!r}")
    head, dots, tail = term.partition("...")
    n_dots = ndim - len(head) - len(tail)
    if (n_dots < 0) or (n_dots and not dots):
        raise OpError(f"{name}: subscript {term!r} does not fit an operand of {ndim} dimensions")
    return head, n_dots if dots else -1, tail


def explicit_subscripts(subscripts: str, ndims) -> tuple:
    """``(input terms, output term)`` with no ``...`` and no implicit output."""
    subscripts = subscripts.replace(" ", "")
    lhs, arrow, rhs = subscripts.partition("->")
    terms = lhs.split(",")
    if len(terms) != len(ndims):
        raise OpError(f"einsum: {len(terms)} operand subscripts for {len(ndims)} operands")
    parts = [_split_ellipsis("einsum", t, n) for t, n in zip(terms, ndims)]
    used = set(lhs + rhs)
    spare = [c for c in _LETTERS if c not in used]
    width = max([p[1] for p in parts] + [0])
    if width > len(spare):
        raise OpError("einsum: too many dimensions under '...'")
    dots = "".join(spare[:width])  # '...' right-aligned, as broadcasting aligns shapes
    ins = [h + (dots[width - d:] if d > 0 else "") + t for h, d, t in parts]
    if arrow:
        if rhs.count("...") > 1 or any(c not in _LETTERS for c in rhs.replace("...", "")):
            raise OpError(f"einsum: invalid output subscript {rhs!r}")
        if width and "..." not in rhs:  # NumPy refuses to sum over '...' implicitly
            raise OpError(f"einsum: output subscript {rhs!r} needs '...' (inputs have it)")
        out = rhs.replace("...", dots)
    else:  # implicit: '...' first, then the letters seen once, in alphabetical order
        letters = "".join(ins)
        once = sorted(c for c in set(letters) if letters.count(c) == 1 and c not in dots)
        out = dots + "".join(once)
    return ins, out


def _einsum_forward(xp, *operands, subscripts):
    return xp.einsum(subscripts, *_same_dtype(xp, operands))


def _einsum_vjp(g, ans, *operands, subscripts):
    ins, out = subscripts.split("->")
    ins = ins.split(",")
    return tuple(_operand_grad(g, out, ins, operands, i) for i in range(len(operands)))


def _operand_grad(g, out, ins, operands, i):
    # d/dx_i sum(g * einsum(...)) = einsum of g with the other operands onto x_i's subscripts.
    # A letter repeated in x_i's term (a diagonal) is renamed, and an identity joins it to the
    # original; a letter found nowhere else is summed over in the forward, so g broadcasts.
    term, x = ins[i], operands[i]
    spare = iter(c for c in _LETTERS if c not in "".join(ins) + out)
    target, extra, extra_terms = "", [], []
    for c, n in zip(term, x.shape):
        if c in target:
            new = next(spare)
            extra.append(eye(n, dtype=g.dtype, ctx=g.device))
            extra_terms.append(c + new)
            c = new
        target += c
    others = [t for k, t in enumerate(ins) if k != i]
    known = set(out + "".join(others) + "".join(extra_terms))
    present = "".join(c for c in target if c in known)
    subs = ",".join([out] + others + extra_terms) + "->" + present
    gx = _einsum(g, *[o for k, o in enumerate(operands) if k != i], *extra, subscripts=subs)
    if present == target:
        return gx
    sizes = iter(gx.shape)
    gx = reshape(gx, tuple(next(sizes) if c in known else 1 for c in target))
    return broadcast_to(gx, tuple(n if c not in known else m
                                  for c, n, m in zip(target, x.shape, gx.shape)))


_einsum = Primitive("einsum", _einsum_forward, vjp_all=_einsum_vjp)


def einsum(subscripts, *operands, out=None, optimize=False):
    """The subscripts-first form only (not NumPy's interleaved operand, sublist form)."""
    if not isinstance(subscripts, str):
        raise TypeError(f"einsum: subscripts must be a str, got {type(subscripts).__name__}")
    for k, a in enumerate(operands):
        require_array("einsum", a, f"operand {k}")
    ins, res = explicit_subscripts(subscripts, [a.ndim for a in operands])
    return write_out(_einsum(*operands, subscripts=",".join(ins) + "->" + res), out)
