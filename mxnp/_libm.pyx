# cython: language_level=3, boundscheck=False, wraparound=False
"""The C library's math functions, element by element over float32 and float64 arrays.

MXNet's CPU kernels call these (``sinf``, ``tanhf``, ``powf``, ``erff``; ``sin``, ``tgamma``
... for float64) once per element, so a result from them is MXNet's to the last bit. NumPy's
own loops are vectorised approximations that differ in the last bit for up to half the inputs,
and rounding a float64 result differs wherever the C library's float function is not correctly
rounded (``sinhf``, ``coshf``, ``tanhf`` ...). Optional, as the rest of the compiled core
(``mxnp/_native.py``): without it, mxnp rounds float64 results. The one source here that is
not a ``.py`` module: a call of a C function has no Python spelling.
"""
from cpython.buffer cimport (PyBUF_C_CONTIGUOUS, PyBUF_FORMAT, PyBUF_WRITABLE, PyBuffer_Release,
                            PyObject_GetBuffer)
from libc.math cimport (acos, acosf, acosh, acoshf, asin, asinf, asinh, asinhf, atan, atan2,
                        atan2f, atanf, atanh, atanhf, cbrt, cbrtf, cos, cosf, cosh, coshf, erf,
                        erff, exp, expf, expm1, expm1f, lgamma, lgammaf, log, log10, log10f,
                        log1p, log1pf, log2, log2f, logf, pow, powf, sin, sinf, sinh, sinhf,
                        sqrt, sqrtf, tan, tanf, tanh, tanhf, tgamma, tgammaf)

ctypedef float (*unary_f)(float) noexcept nogil
ctypedef double (*unary_d)(double) noexcept nogil
ctypedef float (*binary_f)(float, float) noexcept nogil
ctypedef double (*binary_d)(double, double) noexcept nogil

# mxnp's names (NumPy's, npx's for the special functions), in the order of the tables below
UNARY = ("sin", "cos", "tan", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh", "arcsinh",
         "arccosh", "arctanh", "exp", "expm1", "log", "log2", "log10", "log1p", "cbrt", "erf",
         "gamma", "gammaln", "sigmoid")
BINARY = ("power", "arctan2")
NAMES = UNARY + BINARY

cdef float _sigmoidf(float x) noexcept nogil:
    cdef float one = 1  # MXNet's float kernel: 1.0f / (1.0f + expf(-x)), each step in float
    return one / (one + expf(-x))


cdef double _sigmoid(double x) noexcept nogil:
    return 1.0 / (1.0 + exp(-x))  # (its double kernel)


cdef unary_f _UF[23]
cdef unary_d _UD[23]
cdef binary_f _BF[2]
cdef binary_d _BD[2]
_UF[:] = [sinf, cosf, tanf, asinf, acosf, atanf, sinhf, coshf, tanhf, asinhf, acoshf, atanhf,
          expf, expm1f, logf, log2f, log10f, log1pf, cbrtf, erff, tgammaf, lgammaf,
          _sigmoidf]
_UD[:] = [sin, cos, tan, asin, acos, atan, sinh, cosh, tanh, asinh, acosh, atanh, exp, expm1,
          log, log2, log10, log1p, cbrt, erf, tgamma, lgamma, _sigmoid]
_BF[:] = [powf, atan2f]
_BD[:] = [pow, atan2]
from numpy import ascontiguousarray as _ascontiguousarray, empty_like as _empty_like

_INDEX = {name: i for names in (UNARY, BINARY) for i, name in enumerate(names)}


cdef int _get(object array, Py_buffer* view, int flags) except -1:
    PyObject_GetBuffer(array, view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | flags)
    if view.itemsize not in (4, 8) or view.format not in (b"f", b"d") or \
            (view.itemsize == 4) != (view.format == b"f"):
        fmt, size = view.format, view.len
        PyBuffer_Release(view)
        raise ValueError(f"_libm: expected float32 or float64 arrays, got format {fmt!r} "
                         f"({size} bytes)")
    return 0


def apply(str name, out, x, y=None):
    """``out[...] = f(x)``, or ``f(x, y)`` for ``power``/``arctan2``: the C library's function
    of mxnp's ``name`` in the arrays' dtype (float32: ``sinf`` ...; float64: ``sin`` ...).
    ``out``, ``x`` and ``y``: C-contiguous arrays of one float dtype and one size."""
    cdef Py_buffer vo, vx, vy
    cdef Py_ssize_t i, n, k = _INDEX[name]
    cdef bint two = y is not None
    if two != (name in BINARY):
        raise ValueError(f"_libm.apply: {name} takes {2 if name in BINARY else 1} arrays")
    _get(out, &vo, PyBUF_WRITABLE)
    try:
        _get(x, &vx, 0)
        try:
            if two:
                _get(y, &vy, 0)
            try:
                if vx.itemsize != vo.itemsize or vx.len != vo.len or \
                        two and (vy.itemsize != vo.itemsize or vy.len != vo.len):
                    raise ValueError("_libm.apply: the arrays differ in dtype or size")
                n = vo.len // vo.itemsize
                with nogil:
                    if vo.itemsize == 4 and not two:
                        for i in range(n):
                            (<float*>vo.buf)[i] = _UF[k]((<const float*>vx.buf)[i])
                    elif not two:
                        for i in range(n):
                            (<double*>vo.buf)[i] = _UD[k]((<const double*>vx.buf)[i])
                    elif vo.itemsize == 4:
                        for i in range(n):
                            (<float*>vo.buf)[i] = _BF[k]((<const float*>vx.buf)[i],
                                                         (<const float*>vy.buf)[i])
                    else:
                        for i in range(n):
                            (<double*>vo.buf)[i] = _BD[k]((<const double*>vx.buf)[i],
                                                          (<const double*>vy.buf)[i])
            finally:
                if two:
                    PyBuffer_Release(&vy)
        finally:
            PyBuffer_Release(&vx)
    finally:
        PyBuffer_Release(&vo)



def index(str name):
    """The number ``unary`` takes for mxnp's ``name`` of a one-argument function (``UNARY``)."""
    return UNARY.index(name)


def unary(int k, x):
    """The C library's ``UNARY[k]`` of the float32 or float64 NumPy array ``x``, once per
    element, as a new array of ``x``'s shape and dtype: ``apply`` in one call, for the small
    arrays where the calls around the loop cost more than the loop."""
    cdef Py_buffer vo, vx
    cdef Py_ssize_t i, n
    if not 0 <= k < len(UNARY):
        raise ValueError(f"_libm.unary: no function {k}; 0 to {len(UNARY) - 1} (UNARY)")
    try:
        _get(x, &vx, 0)
    except (BufferError, ValueError):  # not C-contiguous (NumPy says ValueError): a copy first
        x = _ascontiguousarray(x)
        _get(x, &vx, 0)
    try:
        out = _empty_like(x)
        _get(out, &vo, PyBUF_WRITABLE)
        n = vx.len // vx.itemsize
        with nogil:
            if vx.itemsize == 4:
                for i in range(n):
                    (<float*>vo.buf)[i] = _UF[k]((<const float*>vx.buf)[i])
            else:
                for i in range(n):
                    (<double*>vo.buf)[i] = _UD[k]((<const double*>vx.buf)[i])
        PyBuffer_Release(&vo)
    finally:
        PyBuffer_Release(&vx)
    return out


ctypedef fused real:
    float
    double


DEF BLOCK = 16  # columns summed together: fixed-size local arrays, which the compiler vectorises


cdef inline void _kahan_columns(const real* x, Py_ssize_t m, Py_ssize_t n, Py_ssize_t width,
                                real* s) noexcept nogil:
    """``width`` columns of x (m rows of n), row after row into s, each with its own
    compensation (inlined: with width BLOCK the compiler vectorises the columns)."""
    cdef Py_ssize_t i, k
    cdef real r[BLOCK]
    cdef real y, t
    for k in range(width):
        s[k] = 0
        r[k] = 0
    for i in range(m):
        for k in range(width):
            y = x[i * n + k] - r[k]
            t = s[k] + y
            r[k] = (t - s[k]) - y
            s[k] = t


cdef bint _kahan(const real* x, real* out, Py_ssize_t m, Py_ssize_t n) noexcept nogil:
    """Row after row of x (m rows of n) into out, each column with its own compensation;
    whether every sum is finite."""
    cdef Py_ssize_t j, k, width
    cdef real s[BLOCK]
    for j in range(0, n, BLOCK):
        width = min(BLOCK, n - j)
        if width == BLOCK:
            _kahan_columns(x + j, m, n, BLOCK, s)
        else:
            _kahan_columns(x + j, m, n, width, s)
        for k in range(width):
            out[j + k] = s[k]
    for j in range(n):
        if not (out[j] - out[j] == 0):  # inf - inf and nan - nan are nan
            return False
    return True


def kahan_sum(out, x):
    """``out[j]`` = the sum over ``i`` of ``x[i, j]``, added in order of ``i`` with Kahan's
    compensation (MXNet's CPU sum), for ``x`` C-contiguous of ``m * n`` elements and ``out`` of
    ``n``, one float dtype. A running sum that reaches infinity makes the compensation, and
    every later sum, nan (as MXNet 1.9.1 turns ``[1, inf, 1]`` into nan). Returns whether
    every sum is finite."""
    cdef Py_buffer vo, vx
    cdef Py_ssize_t m, n
    cdef bint finite
    _get(out, &vo, PyBUF_WRITABLE)
    try:
        _get(x, &vx, 0)
        try:
            n = vo.len // vo.itemsize
            if vx.itemsize != vo.itemsize or n == 0 or (vx.len // vx.itemsize) % n:
                raise ValueError("_libm.kahan_sum: the arrays differ in dtype, or the input "
                                 "is not a whole number of rows of the output's size")
            m = (vx.len // vx.itemsize) // n
            with nogil:
                if vo.itemsize == 4:
                    finite = _kahan(<const float*>vx.buf, <float*>vo.buf, m, n)
                else:
                    finite = _kahan(<const double*>vx.buf, <double*>vo.buf, m, n)
            return finite
        finally:
            PyBuffer_Release(&vx)
    finally:
        PyBuffer_Release(&vo)


cdef real _nrm2_of(const real* x, Py_ssize_t n) noexcept nogil:
    cdef real scale = 0, total = 0, a, ratio
    cdef Py_ssize_t i
    for i in range(n):
        if x[i] != x[i]:
            return x[i]  # nan
        if x[i] == 0:
            continue
        a = -x[i] if x[i] < 0 else x[i]
        if a > scale:
            ratio = scale / a
            total = 1 + total * ratio * ratio
            scale = a
        else:
            ratio = a / scale
            total = total + ratio * ratio
    return scale * sqrt(total) if real is double else scale * sqrtf(total)


def nrm2(x):
    """The 2-norm of the C-contiguous float array ``x`` as MXNet's CPU ``nrm2`` reducer rounds
    it, in ``x``'s dtype: one pass over the non-zero entries in order, keeping the largest |x|
    so far (``scale``) and the sum of (|x| / scale)^2, rescaled by (old / new scale)^2 when a
    larger entry comes; scale * sqrt(sum). A Python float."""
    cdef Py_buffer v
    cdef double out
    _get(x, &v, 0)
    try:
        with nogil:
            if v.itemsize == 4:
                out = _nrm2_of(<const float*>v.buf, v.len // 4)
            else:
                out = _nrm2_of(<const double*>v.buf, v.len // 8)
    finally:
        PyBuffer_Release(&v)
    return out


def sum_sq(x):
    """MXNet's CPU ``multi_sum_sq`` of the C-contiguous float array ``x``: a float32 running sum
    of the squares (each square in ``x``'s dtype), in order. A Python float."""
    cdef Py_buffer v
    cdef float total = 0
    cdef Py_ssize_t i
    _get(x, &v, 0)
    try:
        with nogil:
            if v.itemsize == 4:
                for i in range(v.len // 4):
                    total = total + (<const float*>v.buf)[i] * (<const float*>v.buf)[i]
            else:
                for i in range(v.len // 8):
                    total = <float>(<double>total + (<const double*>v.buf)[i] *
                                    (<const double*>v.buf)[i])
    finally:
        PyBuffer_Release(&v)
    return total
