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
from cpython.buffer cimport (PyBUF_C_CONTIGUOUS, PyBUF_FORMAT, PyBUF_STRIDES, PyBUF_WRITABLE,
                            PyBuffer_Release, PyObject_GetBuffer)
from cpython.mem cimport PyMem_Free, PyMem_Malloc
from libc.string cimport memset
from libc.math cimport (acos, acosf, acosh, acoshf, asin, asinf, asinh, asinhf, atan, atan2,
                        atan2f, atanf, atanh, atanhf, cbrt, cbrtf, cos, cosf, cosh, coshf, erf,
                        erff, exp, expf, expm1, expm1f, lgamma, lgammaf, log, log10, log10f,
                        log1p, log1pf, log2, log2f, logf, NAN, pow, powf, sin, sinf, sinh, sinhf,
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


cdef object _read_view(object x, Py_buffer* view):
    """``x`` with ``view`` taken on its data: ``x`` itself, or its C-contiguous copy (which the
    caller must keep while it reads ``view``)."""
    try:
        _get(x, view, 0)
    except (BufferError, ValueError):  # not C-contiguous (NumPy says ValueError): a copy first
        x = _ascontiguousarray(x)
        _get(x, view, 0)
    return x


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
    x = _read_view(x, &vx)
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


cdef extern from *:
    """
    #if defined(__GLIBC__) || defined(__APPLE__)  /* backtrace() and dladdr() */
    #include <dlfcn.h>
    #include <execinfo.h>
    #include <string.h>
    #define MXNP_FRAMES 48
    static int mxnp_signature[MXNP_FRAMES];
    static int mxnp_signature_length = -1;
    /* The C frames above this call, up to the nearest frame of the interpreter's evaluation
       loop, as a signature: 0 for a frame in the Python library, k + 1 for one in the shared
       object own[k]. With record, keep it and return 1; else 1 when it equals the kept one.
       0 where a frame lies anywhere else, where no evaluation loop is found, or where the
       platform cannot tell. */
    static int mxnp_interpreter_caller(const char **own, int n, int record) {
        void *frames[MXNP_FRAMES];
        int signature[MXNP_FRAMES];
        Dl_info here, python;
        int depth = backtrace(frames, MXNP_FRAMES), length = 0, i, k, code;
        if (!dladdr((void *)&PyNumber_Add, &python)) return 0;
        for (i = 1; i < depth; i++) {
            if (!dladdr(frames[i], &here) || here.dli_fname == NULL) return 0;
            if (here.dli_fbase == python.dli_fbase) {
                if (here.dli_sname && strcmp(here.dli_sname, "_PyEval_EvalFrameDefault") == 0) {
                    if (record) {
                        memcpy(mxnp_signature, signature, sizeof(int) * length);
                        mxnp_signature_length = length;
                        return 1;
                    }
                    return length == mxnp_signature_length &&
                        memcmp(signature, mxnp_signature, sizeof(int) * length) == 0;
                }
                code = 0;
            } else {
                for (code = -1, k = 0; k < n && code < 0; k++)
                    if (strcmp(here.dli_fname, own[k]) == 0) code = k + 1;
                if (code < 0) return 0;
            }
            signature[length++] = code;
        }
        return 0;
    }
    #else
    static int mxnp_interpreter_caller(const char **own, int n, int record) { return 0; }
    #endif
    """
    int mxnp_interpreter_caller(const char** own, int n, int record) nogil


_OWN = []  # mxnp's compiled modules' shared objects, as bytes paths (see interpreter_caller)


def interpreter_caller(list own_files=None, bint record=False):
    """Whether this call comes straight from the interpreter's evaluation of Python code, by
    the same C frames as the call that ``record`` marked (in the Python library and mxnp's
    compiled modules ``own_files``, the paths given once): no other C code between, such as
    NumPy's object loops, which pass an operand an array still holds, or compiled functions
    that hold their arguments by borrowed references. False where the platform cannot tell."""
    cdef const char* paths[8]
    cdef int n, i
    if own_files is not None:
        _OWN[:] = [f.encode() for f in own_files[:8]]
    n = len(_OWN)
    for i in range(n):
        paths[i] = _OWN[i]
    return mxnp_interpreter_caller(paths, n, record) == 1


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


cdef void _softmax_rows(const real* x, real* out, Py_ssize_t outer, Py_ssize_t m,
                        Py_ssize_t inner, real t, bint scaled, bint take_log) noexcept nogil:
    """MXNet's CPU softmax kernel along an axis of ``m`` (rows of ``inner`` apart): the first
    largest value (``<``, so a nan after the first is passed over), the sum of the exponentials
    in the array's type in order, then exp(a) / sum or a - log(sum)."""
    cdef Py_ssize_t o, j, k, base
    cdef real mmax, v, a, total, log_total
    for o in range(outer):
        for j in range(inner):
            base = o * m * inner + j
            mmax = x[base]
            for k in range(1, m):
                v = x[base + k * inner]
                if mmax < v:
                    mmax = v
            total = 0
            for k in range(m):
                a = x[base + k * inner] - mmax
                if scaled:
                    a = a / t
                total += expf(a) if real is float else exp(a)
            if take_log:
                log_total = logf(total) if real is float else log(total)
            for k in range(m):
                a = x[base + k * inner] - mmax
                if scaled:
                    a = a / t
                if take_log:
                    out[base + k * inner] = a - log_total
                else:
                    out[base + k * inner] = (expf(a) if real is float else exp(a)) / total


def softmax(x, Py_ssize_t axis, temperature, bint take_log):
    """MXNet's CPU ``softmax`` (``take_log``: ``log_softmax``) of the float32 or float64 NumPy
    array ``x`` along ``axis`` (non-negative), as a new array: its kernel's steps, each in the
    array's type (MXNet's float32 kernel sums in float32, its float64 one in double; where
    MXNet hands float32 along the last axis to oneDNN, whose log is ~1e-6 off, this differs
    by a few ulp). ``temperature``: None or a number dividing ``x - max``."""
    cdef Py_buffer vo, vx
    cdef Py_ssize_t outer = 1, inner = 1, m, d
    cdef bint scaled = temperature is not None and temperature != 1.0
    cdef double t = 1.0 if not scaled else temperature
    shape = x.shape
    if not 0 <= axis < len(shape):
        raise ValueError(f"_libm.softmax: axis {axis} out of range for shape {shape}")
    for d in range(axis):
        outer *= shape[d]
    for d in range(axis + 1, len(shape)):
        inner *= shape[d]
    m = shape[axis]
    x = _read_view(x, &vx)
    try:
        out = _empty_like(x)
        _get(out, &vo, PyBUF_WRITABLE)
        if m:
            with nogil:
                if vx.itemsize == 4:
                    _softmax_rows(<const float*>vx.buf, <float*>vo.buf, outer, m, inner,
                                  <float>t, scaled, take_log)
                else:
                    _softmax_rows(<const double*>vx.buf, <double*>vo.buf, outer, m, inner,
                                  t, scaled, take_log)
        PyBuffer_Release(&vo)
    finally:
        PyBuffer_Release(&vx)
    return out


cdef void _relu_grad_loop(const real* g, const real* a, real* out,
                          Py_ssize_t n) noexcept nogil:
    cdef Py_ssize_t i
    cdef real zero = 0, one = 1, nan = <real>NAN, r
    for i in range(n):  # selects, no branches: the compiler vectorises the loop
        r = g[i] * (one if a[i] > 0 else zero)
        out[i] = nan if a[i] != a[i] else r


def relu_grad(g, ans):
    """relu's rule ``g * sign(ans)`` for its output ``ans``, in one call, as a new array: ``g``
    times 1 where ``ans > 0``, times 0 elsewhere, nan where ``ans`` is nan (what NumPy's
    ``g * (ans > 0)`` and a nan mask give). ``g`` and ``ans``: float32 or float64 arrays of
    one dtype and size."""
    cdef Py_buffer vg, va, vo
    g = _read_view(g, &vg)
    try:
        ans = _read_view(ans, &va)
        try:
            if va.itemsize != vg.itemsize or va.len != vg.len:
                raise ValueError("_libm.relu_grad: the arrays differ in dtype or size")
            out = _empty_like(g)
            _get(out, &vo, PyBUF_WRITABLE)
            with nogil:
                if vg.itemsize == 4:
                    _relu_grad_loop(<const float*>vg.buf, <const float*>va.buf,
                                    <float*>vo.buf, vg.len // 4)
                else:
                    _relu_grad_loop(<const double*>vg.buf, <const double*>va.buf,
                                    <double*>vo.buf, vg.len // 8)
            PyBuffer_Release(&vo)
        finally:
            PyBuffer_Release(&va)
    finally:
        PyBuffer_Release(&vg)
    return out


DEF SUM_BLOCK = 2048  # elements of ``signed_sum``'s block: its running sum stays in L1


cdef void _signed_sum_loop(real* r, const real** xs, const char* negs, Py_ssize_t k,
                           Py_ssize_t n) noexcept nogil:
    cdef Py_ssize_t lo, hi, i, j
    cdef const real* a
    cdef const real* b
    cdef bint negative
    for lo in range(0, n, SUM_BLOCK):
        hi = min(lo + SUM_BLOCK, n)
        a, b = xs[0], xs[1]
        if negs[0] == negs[1]:
            for i in range(lo, hi):
                r[i] = a[i] + b[i]
        elif negs[0]:
            for i in range(lo, hi):
                r[i] = b[i] - a[i]
        else:
            for i in range(lo, hi):
                r[i] = a[i] - b[i]
        negative = negs[0] and negs[1]
        for j in range(2, k):
            a = xs[j]
            if negs[j] == negative:
                for i in range(lo, hi):
                    r[i] = r[i] + a[i]
            elif negative:
                for i in range(lo, hi):
                    r[i] = a[i] - r[i]
                negative = False
            else:
                for i in range(lo, hi):
                    r[i] = r[i] - a[i]
        if negative:
            for i in range(lo, hi):
                r[i] = -r[i]


def signed_sum(out, list arrays, list negs):
    """The sum of ``arrays`` in order, each subtracted where ``negs`` says, into ``out`` (which
    may be the first or the second of them, no other), block by block in one pass over memory,
    with the roundings of ``autograd._adopt_sum``'s NumPy passes (the same bits): the first two
    added or subtracted,
    then each next one added to or subtracted from the running sum, kept negated while both
    first ones are, negated at the end. All C-contiguous, of one dtype (float32 or float64)
    and size, two or more (at most 64). Returns False, touching nothing, where they are not."""
    cdef Py_ssize_t k = len(arrays), j, got = 0
    cdef Py_buffer v[65]
    cdef const void* xs[64]
    cdef char ns[64]
    if k < 2 or k > 64 or len(negs) != k:
        return False
    try:
        if not _try_get(out, &v[0], PyBUF_WRITABLE):
            return False
        got = 1
        for j in range(k):
            if not _try_get(arrays[j], &v[j + 1], 0):
                return False
            got += 1
            if v[j + 1].itemsize != v[0].itemsize or v[j + 1].len != v[0].len:
                return False
            xs[j] = v[j + 1].buf
            ns[j] = 1 if negs[j] else 0
        with nogil:
            if v[0].itemsize == 4:
                _signed_sum_loop(<float*>v[0].buf, <const float**>xs, ns, k, v[0].len // 4)
            else:
                _signed_sum_loop(<double*>v[0].buf, <const double**>xs, ns, k, v[0].len // 8)
        return True
    finally:
        for j in range(got):
            PyBuffer_Release(&v[j])


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


cdef object _rows(object x, Py_buffer* view, int flags, Py_ssize_t* step):
    """A 2-D float array's buffer whose rows may lie apart (a column block of a wider array)
    but whose entries within a row are adjacent; ``step``: the distance of rows, in entries."""
    PyObject_GetBuffer(x, view, PyBUF_STRIDES | PyBUF_FORMAT | flags)
    if view.ndim != 2 or view.format not in (b"f", b"d") or view.strides[1] != view.itemsize \
            or view.strides[0] % view.itemsize:
        PyBuffer_Release(view)
        raise ValueError("_libm: expected a 2-D float32 or float64 array with adjacent entries "
                         "in each row")
    step[0] = view.strides[0] // view.itemsize
    return x


cdef void _lstm_in(real* a, Py_ssize_t sa, const real* hg, Py_ssize_t n,
                   Py_ssize_t size) noexcept nogil:
    cdef Py_ssize_t j, k, q
    cdef real* r
    for j in range(n):
        r = a + j * sa
        for q in range(4):
            if q == 2:  # g: tanh's input
                for k in range(2 * size, 3 * size):
                    r[k] = r[k] + hg[k * n + j]
            else:  # i, f, o: sigmoid's, negated for the exp
                for k in range(q * size, (q + 1) * size):
                    r[k] = -(r[k] + hg[k * n + j])


cdef void _lstm_cell(real* a, Py_ssize_t sa, const real* cp, Py_ssize_t scp, real* c,
                     Py_ssize_t sc, Py_ssize_t n, Py_ssize_t size) noexcept nogil:
    cdef Py_ssize_t j, k
    cdef real one = 1
    cdef real* r
    for j in range(n):
        r = a + j * sa
        for k in range(size):
            r[k] = one / (r[k] + one)
            r[size + k] = one / (r[size + k] + one)
            r[3 * size + k] = one / (r[3 * size + k] + one)
            c[j * sc + k] = r[size + k] * cp[j * scp + k] + r[k] * r[2 * size + k]


def lstm_step_in(a, hg):
    """The first pass of an LSTM step: ``a`` (N, 4H), the gate inputs i, f, g, o, plus ``hg``
    (4H, N, C-contiguous: the h2h terms, transposed), with i, f and o negated (exp's input
    for ``1 / (1 + exp(-x))``); in place."""
    cdef Py_buffer v[2]
    cdef Py_ssize_t st[2]
    cdef int got = 0
    cdef Py_ssize_t n = a.shape[0], size = a.shape[1] // 4
    try:
        _take_rows((a, hg), (True, False), ((n, 4 * size), (4 * size, n)), v, st, &got,
                   "lstm_step_in")
        if st[1] != n:
            raise ValueError("_libm.lstm_step_in: hg must be C-contiguous")
        with nogil:
            if v[0].itemsize == 4:
                _lstm_in(<float*>v[0].buf, st[0], <const float*>v[1].buf, n, size)
            else:
                _lstm_in(<double*>v[0].buf, st[0], <const double*>v[1].buf, n, size)
    finally:
        for i in range(got):
            PyBuffer_Release(&v[i])


def lstm_step_cell(a, c_prev, c):
    """The second pass of an LSTM step, once exp has run over the negated i, f, o and tanh
    over g in ``a`` (N, 4H): i, f, o become ``1 / (1 + e)`` in place and the cell
    ``c = f c_prev + i g`` is written (N, H). The NumPy passes' operations, in their order."""
    cdef Py_buffer v[3]
    cdef Py_ssize_t st[3]
    cdef int got = 0
    cdef Py_ssize_t n = a.shape[0], size = a.shape[1] // 4
    try:
        _take_rows((a, c_prev, c), (True, False, True), ((n, 4 * size), (n, size), (n, size)),
                   v, st, &got, "lstm_step_cell")
        with nogil:
            if v[0].itemsize == 4:
                _lstm_cell(<float*>v[0].buf, st[0], <const float*>v[1].buf, st[1],
                           <float*>v[2].buf, st[2], n, size)
            else:
                _lstm_cell(<double*>v[0].buf, st[0], <const double*>v[1].buf, st[1],
                           <double*>v[2].buf, st[2], n, size)
    finally:
        for i in range(got):
            PyBuffer_Release(&v[i])


cdef void _lstm_backward(const real* a, Py_ssize_t sa, const real* tcs, Py_ssize_t stc,
                         const real* cp, Py_ssize_t scp, const real* dh, Py_ssize_t sdh,
                         const real* gout, Py_ssize_t sgo, real* dc, Py_ssize_t sdc, real* da,
                         Py_ssize_t sda, Py_ssize_t n, Py_ssize_t size) noexcept nogil:
    cdef Py_ssize_t j, k
    cdef real one = 1, i_, f_, g_, o_, d, tc, t, dcv
    cdef const real* r
    cdef real* q
    for j in range(n):
        r, q = a + j * sa, da + j * sda
        for k in range(size):
            i_, f_, g_, o_ = r[k], r[size + k], r[2 * size + k], r[3 * size + k]
            d = dh[j * sdh + k] + gout[j * sgo + k]
            tc = tcs[j * stc + k]
            t = one - tc * tc
            dcv = dc[j * sdc + k] + t * o_ * d
            dc[j * sdc + k] = dcv * f_
            q[k] = dcv * g_ * ((one - i_) * i_)
            q[size + k] = dcv * cp[j * scp + k] * ((one - f_) * f_)
            q[2 * size + k] = dcv * i_ * (one - g_ * g_)
            q[3 * size + k] = d * tc * ((one - o_) * o_)


cdef int _take_rows(tuple arrays, tuple writable, tuple shapes, Py_buffer* v, Py_ssize_t* step,
                    int* got, str name) except -1:
    """Buffers of 2-D ``arrays`` (see ``_rows``) into ``v``, counted in ``got`` (the caller
    releases them), checked against ``shapes`` and for one dtype."""
    for x, w in zip(arrays, writable):
        _rows(x, &v[got[0]], PyBUF_WRITABLE if w else 0, &step[got[0]])
        got[0] += 1
    found = tuple((v[i].shape[0], v[i].shape[1]) for i in range(got[0]))
    if found != shapes or any(v[i].itemsize != v[0].itemsize for i in range(got[0])):
        raise ValueError(f"_libm.{name}: expected arrays of one float dtype and shapes {shapes}, "
                         f"got {found}")
    return 0


def lstm_backward_step(a, tanh_c, c_prev, dh, gout, dc, da):
    """The gate cotangents ``da`` (N, 4H) of one LSTM step from its gates ``a`` (after their
    nonlinearities), ``tanh_c`` (the tanh of its cell), the previous cell ``c_prev`` and the
    output's cotangent ``dh + gout``; ``dc`` (N, H) comes in as the next step's cell cotangent
    and leaves as this step's ``c_prev``'s. The same operations, in the same order, as the
    NumPy passes of ``rnn_fused._backward_direction`` (the same bits), in one pass. One float
    dtype; the rows of each 2-D array may lie apart."""
    cdef Py_buffer v[7]
    cdef Py_ssize_t st[7]
    cdef int got = 0
    cdef Py_ssize_t n = a.shape[0], size = a.shape[1] // 4
    try:
        _take_rows((a, tanh_c, c_prev, dh, gout, dc, da), (False,) * 5 + (True, True),
                   ((n, 4 * size),) + ((n, size),) * 5 + ((n, 4 * size),), v, st, &got,
                   "lstm_backward_step")
        with nogil:
            if v[0].itemsize == 4:
                _lstm_backward(<const float*>v[0].buf, st[0], <const float*>v[1].buf, st[1],
                               <const float*>v[2].buf, st[2], <const float*>v[3].buf, st[3],
                               <const float*>v[4].buf, st[4], <float*>v[5].buf, st[5],
                               <float*>v[6].buf, st[6], n, size)
            else:
                _lstm_backward(<const double*>v[0].buf, st[0], <const double*>v[1].buf, st[1],
                               <const double*>v[2].buf, st[2], <const double*>v[3].buf, st[3],
                               <const double*>v[4].buf, st[4], <double*>v[5].buf, st[5],
                               <double*>v[6].buf, st[6], n, size)
    finally:
        for i in range(got):
            PyBuffer_Release(&v[i])


cdef void _sgd_loop(real* w, const real* g, real* m, Py_ssize_t n, real scale, real decay,
                    bint wd, real momentum) noexcept nogil:
    cdef Py_ssize_t i
    cdef real step
    if m == NULL:
        for i in range(n):
            step = g[i] * scale
            if wd:
                step = step + decay * w[i]
            w[i] = w[i] - step
    else:
        for i in range(n):
            m[i] = m[i] * momentum
            if wd:
                m[i] = m[i] - decay * w[i]
            m[i] = m[i] - g[i] * scale
            w[i] = w[i] + m[i]


cdef bint _try_get(object a, Py_buffer* view, int flags):
    """``_get``, answering whether ``a`` gave a buffer (a C-contiguous float32/64 one)."""
    try:
        _get(a, view, flags)
    except (BufferError, ValueError, TypeError):
        return False
    return True


def sgd_update(list weights, list grads, list moms, list scales, list decays, list wds,
               double momentum):
    """SGD steps in place over lists of C-contiguous float32 or float64 host arrays (each
    weight, its gradient and momentum of one dtype and size; a momentum may be None): without
    momentum ``w -= g * scale (+ decay * w where wd)``, with it ``m = m * momentum (- decay *
    w where wd) - g * scale; w += m``, each product and sum rounded in the arrays' type, in
    that order (``_ops.update.sgd_update``'s passes, so the same bits). ``scale``, ``decay``
    and ``momentum`` must be values of that type. Returns False, touching nothing, where an
    array does not qualify."""
    cdef Py_ssize_t n = len(weights), k
    cdef Py_buffer* v = <Py_buffer*>PyMem_Malloc(3 * n * sizeof(Py_buffer) + 1)
    cdef bint has_m, wd
    cdef double scale, decay
    if v == NULL:
        raise MemoryError()
    memset(v, 0, 3 * n * sizeof(Py_buffer))  # (releasing a buffer never taken does nothing)
    try:
        for k in range(n):  # every buffer first: nothing is written unless all qualify
            if not (_try_get(weights[k], &v[3 * k], PyBUF_WRITABLE) and
                    _try_get(grads[k], &v[3 * k + 1], 0) and
                    (moms[k] is None or _try_get(moms[k], &v[3 * k + 2], PyBUF_WRITABLE))):
                return False
            for i in range(1, 3 if moms[k] is not None else 2):
                if v[3 * k + i].itemsize != v[3 * k].itemsize or v[3 * k + i].len != v[3 * k].len:
                    return False
        for k in range(n):
            scale, decay, wd = scales[k], decays[k], wds[k]
            with nogil:
                if v[3 * k].itemsize == 4:
                    _sgd_loop(<float*>v[3 * k].buf, <const float*>v[3 * k + 1].buf,
                              <float*>v[3 * k + 2].buf, v[3 * k].len // 4, <float>scale,
                              <float>decay, wd, <float>momentum)
                else:
                    _sgd_loop(<double*>v[3 * k].buf, <const double*>v[3 * k + 1].buf,
                              <double*>v[3 * k + 2].buf, v[3 * k].len // 8, scale, decay, wd,
                              momentum)
        return True
    finally:
        for k in range(3 * n):
            PyBuffer_Release(&v[k])
        PyMem_Free(v)


cdef void _adam_loop(real* w, const real* grad, real* m, real* v, Py_ssize_t n, real lr,
                     real beta1, real beta2, real omb1, real omb2, real epsilon, real wd,
                     real rescale, real clip, bint clips) noexcept nogil:
    cdef Py_ssize_t i
    cdef real g, t, d
    for i in range(n):
        g = grad[i] * rescale
        g = g + wd * w[i]
        if clips:  # NumPy's clip: max(g, -clip), then min(., clip); a nan stays nan
            if g < -clip:
                g = -clip
            if g > clip:
                g = clip
        m[i] = m[i] * beta1
        m[i] = m[i] + omb1 * g
        v[i] = v[i] * beta2
        t = omb2 * g
        t = t * g
        v[i] = v[i] + t
        d = (sqrt(v[i]) if real is double else sqrtf(v[i])) + epsilon
        t = lr * m[i]
        t = t / d
        w[i] = w[i] - t


def adam_update(weight, grad, mean, var, double lr, double beta1, double beta2,
                double one_minus_beta1, double one_minus_beta2, double epsilon, double wd,
                double rescale, double clip):
    """Adam in place over C-contiguous float32 or float64 host arrays of one dtype and size,
    each term rounded in their type in ``_ops.update.adam_update``'s order (its NumPy passes,
    so the same bits); ``clip`` <= 0 does not clip. Returns False, touching nothing, where an
    array does not qualify."""
    cdef Py_buffer v[4]
    cdef Py_ssize_t k, got = 0
    cdef bint clips = clip > 0
    try:
        for k, (a, flags) in enumerate(((weight, PyBUF_WRITABLE), (grad, 0),
                                        (mean, PyBUF_WRITABLE), (var, PyBUF_WRITABLE))):
            if not _try_get(a, &v[k], flags):
                return False
            got += 1
            if v[k].itemsize != v[0].itemsize or v[k].len != v[0].len:
                return False
        with nogil:
            if v[0].itemsize == 4:
                _adam_loop(<float*>v[0].buf, <const float*>v[1].buf, <float*>v[2].buf,
                           <float*>v[3].buf, v[0].len // 4, <float>lr, <float>beta1,
                           <float>beta2, <float>one_minus_beta1, <float>one_minus_beta2,
                           <float>epsilon, <float>wd, <float>rescale, <float>clip, clips)
            else:
                _adam_loop(<double*>v[0].buf, <const double*>v[1].buf, <double*>v[2].buf,
                           <double*>v[3].buf, v[0].len // 8, lr, beta1, beta2,
                           one_minus_beta1, one_minus_beta2, epsilon, wd, rescale, clip, clips)
        return True
    finally:
        for k in range(got):
            PyBuffer_Release(&v[k])


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


# ---- std::mt19937 engines side by side (MXNet's parallel random engines, mxnp/_rng.py) -------
from libc.stdint cimport int64_t, uint32_t, uint64_t
from libc.stdlib cimport free, malloc
from numpy import empty as _empty, float32 as _float32, float64 as _float64, uint64 as _uint64

DEF MT_N = 624
DEF MT_M = 397
DEF UNSEEDED = MT_N + 1
cdef uint32_t _UPPER = 0x80000000, _LOWER = 0x7fffffff, _MATRIX = 0x9908b0df
cdef uint32_t _TEMPER_B = 0x9d2c5680, _TEMPER_C = 0xefc60000, _MULT = 1812433253


cdef void _mt_seed(uint32_t* mt, int* pos, uint32_t seed) noexcept nogil:
    cdef int i
    mt[0] = seed
    for i in range(1, MT_N):  # std::mt19937's constructor (NumPy's legacy seeding too)
        mt[i] = _MULT * (mt[i - 1] ^ (mt[i - 1] >> 30)) + <uint32_t>i
    pos[0] = MT_N


cdef void _mt_twist(uint32_t* mt) noexcept nogil:
    cdef int k
    cdef uint32_t y
    for k in range(MT_N - MT_M):
        y = (mt[k] & _UPPER) | (mt[k + 1] & _LOWER)
        mt[k] = mt[k + MT_M] ^ (y >> 1) ^ (_MATRIX * (y & 1))
    for k in range(MT_N - MT_M, MT_N - 1):
        y = (mt[k] & _UPPER) | (mt[k + 1] & _LOWER)
        mt[k] = mt[k + MT_M - MT_N] ^ (y >> 1) ^ (_MATRIX * (y & 1))
    y = (mt[MT_N - 1] & _UPPER) | (mt[0] & _LOWER)
    mt[MT_N - 1] = mt[MT_M - 1] ^ (y >> 1) ^ (_MATRIX * (y & 1))


cdef inline void _mt_fill(uint32_t* mt, int* pos, uint64_t* out, Py_ssize_t n) noexcept nogil:
    cdef Py_ssize_t j
    cdef uint32_t y
    for j in range(n):
        if pos[0] >= MT_N:
            _mt_twist(mt)
            pos[0] = 0
        y = mt[pos[0]]
        pos[0] += 1
        y ^= y >> 11
        y ^= (y << 7) & _TEMPER_B
        y ^= (y << 15) & _TEMPER_C
        y ^= y >> 18
        out[j] = y


cdef inline uint32_t _mt_next(uint32_t* mt, int* pos) noexcept nogil:
    cdef uint64_t y
    _mt_fill(mt, pos, &y, 1)
    return <uint32_t>y


cdef inline float _mt_float(uint32_t* mt, int* pos) noexcept nogil:
    """libstdc++'s generate_canonical<float>: one output / 2**32, clamped below 1."""
    cdef float two32 = 4294967296.0, below = 0.99999994  # nextafter(1, 0) in float32
    cdef float f = <float>_mt_next(mt, pos) / two32
    return f if f < below else below


cdef inline double _mt_double(uint32_t* mt, int* pos) noexcept nogil:
    """generate_canonical<double>: (low + high * 2**32) / 2**64, clamped below 1."""
    cdef double two32 = 4294967296.0, below = 0.9999999999999999
    cdef double low = <double>_mt_next(mt, pos)
    cdef double d = (low + <double>_mt_next(mt, pos) * two32) / (two32 * two32)
    return d if d < below else below


cdef void _mt_uniform(uint32_t* mt, int* pos, void* out, Py_ssize_t n, bint wide) noexcept nogil:
    """``n`` canonical draws into ``out``: float32 from one output each, float64 from two."""
    cdef Py_ssize_t j
    for j in range(n):
        if wide:
            (<double*>out)[j] = _mt_double(mt, pos)
        else:
            (<float*>out)[j] = _mt_float(mt, pos)


cdef Py_ssize_t _mt_normal(uint32_t* mt, int* pos, void* out, Py_ssize_t n, bint wide,
                           bint pairs) noexcept nogil:
    """libstdc++'s normal_distribution (Marsaglia's polar method) into ``out``: ``pairs``, one
    distribution object for all n (each accepted pair gives y * mult, then x * mult), else a
    fresh one per value (y * mult only). Float32 arithmetic with logf/sqrtf, or double."""
    cdef Py_ssize_t k = 0
    cdef float xf, yf, rf, mf, one_f = 1, two_f = 2
    cdef double xd, yd, rd, md
    while k < n:
        if wide:
            xd = 2.0 * _mt_double(mt, pos) - 1.0
            yd = 2.0 * _mt_double(mt, pos) - 1.0
            rd = xd * xd + yd * yd
            if rd > 1.0 or rd == 0.0:
                continue
            md = sqrt(-2.0 * log(rd) / rd)
            (<double*>out)[k] = yd * md
            k += 1
            if pairs and k < n:
                (<double*>out)[k] = xd * md
                k += 1
        else:
            xf = two_f * _mt_float(mt, pos) - one_f
            yf = two_f * _mt_float(mt, pos) - one_f
            rf = xf * xf + yf * yf
            if rf > one_f or rf == 0:
                continue
            mf = sqrtf(-two_f * logf(rf) / rf)
            (<float*>out)[k] = yf * mf
            k += 1
            if pairs and k < n:
                (<float*>out)[k] = xf * mf
                k += 1
    return k


DEF RAW = 0
DEF UNIFORM = 1
DEF NORMAL_PAIRS = 2  # one normal_distribution for the whole call
DEF NORMAL_FRESH = 3  # a fresh one per value


cdef void _mt_draw(uint32_t* mt, int* pos, int kind, char* out, Py_ssize_t n,
                   bint wide) noexcept nogil:
    if kind == RAW:
        _mt_fill(mt, pos, <uint64_t*>out, n)
    elif kind == UNIFORM:
        _mt_uniform(mt, pos, out, n, wide)
    else:
        _mt_normal(mt, pos, out, n, wide, kind == NORMAL_PAIRS)


cdef class Bank:
    """``size`` engines of ``std::mt19937``, engine ``i`` seeded ``base + i`` (mod 2**32) on its
    first use unless seeded on its own; each gives its raw 32-bit outputs in order, as uint64.
    MXNet's 1024 parallel engines of a device (``_rng.Parallel``), with one C call per draw
    where NumPy's ``MT19937`` takes one Python call per engine."""
    cdef uint32_t* mt
    cdef int* pos
    cdef readonly int size
    cdef readonly uint32_t base

    def __cinit__(self, int size, uint64_t base=0):
        if size < 1:
            raise ValueError(f"_libm.Bank: size must be at least 1, got {size}")
        self.mt = <uint32_t*>malloc(size * MT_N * sizeof(uint32_t))
        self.pos = <int*>malloc(size * sizeof(int))
        if self.mt == NULL or self.pos == NULL:
            raise MemoryError("_libm.Bank: no memory for the engines")
        self.size = size
        self.reseed(base)

    def __dealloc__(self):
        free(self.mt)
        free(self.pos)

    def reseed(self, uint64_t base):
        """Engine ``i`` restarts as ``std::mt19937(base + i)`` (seeded when next used)."""
        cdef int i
        self.base = <uint32_t>(base & 0xffffffff)
        for i in range(self.size):
            self.pos[i] = UNSEEDED

    def seed(self, int i, uint64_t seed):
        """Engine ``i`` restarts as ``std::mt19937(seed)``."""
        self._check(i)
        _mt_seed(self.mt + i * MT_N, self.pos + i, <uint32_t>(seed & 0xffffffff))

    cdef int _check(self, int i) except -1:
        if not 0 <= i < self.size:
            raise IndexError(f"_libm.Bank: no engine {i}; 0 to {self.size - 1}")
        return 0

    cdef inline void _ready(self, int i) noexcept nogil:
        if self.pos[i] == UNSEEDED:
            _mt_seed(self.mt + i * MT_N, self.pos + i, <uint32_t>(self.base + <uint32_t>i))

    def raw(self, int i, Py_ssize_t n):
        """The next ``n`` outputs of engine ``i`` (a uint64 array)."""
        return self._draws(RAW, i, (n,), False)

    def raw_many(self, counts):
        """The next ``counts[j]`` outputs of engines ``0, 1, ...`` one after another, in one
        uint64 array (``len(counts)`` at most ``size``)."""
        return self._draws(RAW, 0, counts, False)

    def uniform(self, int i, Py_ssize_t n, bint wide=False):
        """``n`` draws of ``uniform_real_distribution`` in [0, 1) from engine ``i``: float32
        (one output each), or float64 (``wide``: two)."""
        return self._draws(UNIFORM, i, (n,), wide)

    def uniform_many(self, counts, bint wide=False):
        """``counts[j]`` uniform draws (as ``uniform``) from engines ``0, 1, ...`` one after
        another, in one array."""
        return self._draws(UNIFORM, 0, counts, wide)

    def normal(self, int i, Py_ssize_t n, bint wide=False):
        """``n`` draws of one ``normal_distribution`` from engine ``i`` (each accepted pair
        gives two values: the sequential engine's draws)."""
        return self._draws(NORMAL_PAIRS, i, (n,), wide)

    def normal_many(self, counts, bint wide=False):
        """``counts[j]`` draws from engines ``0, 1, ...``, a fresh ``normal_distribution`` per
        value (the parallel engines' draws), one after another in one array."""
        return self._draws(NORMAL_FRESH, 0, counts, wide)

    cdef object _draws(self, int kind, int first, counts, bint wide):
        """``counts[j]`` draws of ``kind`` from engines ``first + j``, one after another."""
        cdef Py_ssize_t k = len(counts), total = 0, at = 0, j
        cdef Py_buffer v
        if k == 1:
            self._check(first)
        elif k > self.size:
            raise ValueError(f"_libm.Bank: {k} counts for {self.size} engines")
        cdef Py_ssize_t* each = <Py_ssize_t*>malloc(max(k, 1) * sizeof(Py_ssize_t))
        if each == NULL:
            raise MemoryError("_libm.Bank: no memory for the counts")
        try:
            for j in range(k):
                each[j] = counts[j]
                if each[j] < 0:
                    raise ValueError(f"_libm.Bank: negative count {each[j]} for engine "
                                     f"{first + j}")
                total += each[j]
            out = _empty(total, _uint64 if kind == RAW else _float64 if wide else _float32)
            PyObject_GetBuffer(out, &v, PyBUF_WRITABLE)
            try:
                with nogil:
                    for j in range(k):
                        self._ready(first + j)
                        _mt_draw(self.mt + (first + j) * MT_N, self.pos + first + j, kind,
                                 <char*>v.buf + at * v.itemsize, each[j], wide)
                        at += each[j]
            finally:
                PyBuffer_Release(&v)
        finally:
            free(each)
        return out


# ---- MXNet's CPU sort order (TopKSort: libstdc++'s std::sort and std::partial_sort) ----------
# The positions of a row sorted by ``v[i] < v[j]`` (``>`` descending), step for step as
# libstdc++ does it, so that ties and NaN land where MXNet 1.9.1 puts them. Two loops that
# libstdc++ leaves unguarded (they rely on a strict weak order, which NaN breaks) stop at the
# row's ends here; they agree with libstdc++ wherever it stays inside the row.
ctypedef fused sortkey:
    float
    double
    int64_t

DEF SORT_THRESHOLD = 16  # libstdc++'s _S_threshold


cdef inline bint _before(const sortkey* v, int64_t i, int64_t j, bint asc) noexcept nogil:
    return v[i] < v[j] if asc else v[i] > v[j]


cdef void _adjust_heap(int64_t* a, Py_ssize_t hole, Py_ssize_t n, int64_t value,
                       const sortkey* v, bint asc) noexcept nogil:
    cdef Py_ssize_t top = hole, child = hole, parent
    while child < (n - 1) // 2:
        child = 2 * (child + 1)
        if _before(v, a[child], a[child - 1], asc):
            child -= 1
        a[hole] = a[child]
        hole = child
    if n % 2 == 0 and child == (n - 2) // 2:
        child = 2 * (child + 1)
        a[hole] = a[child - 1]
        hole = child - 1
    parent = (hole - 1) // 2
    while hole > top and _before(v, a[parent], value, asc):
        a[hole] = a[parent]
        hole = parent
        parent = (hole - 1) // 2
    a[hole] = value


cdef void _heap_sort_part(int64_t* a, Py_ssize_t middle, Py_ssize_t n, const sortkey* v,
                          bint asc) noexcept nogil:
    """std::partial_sort(a, a + middle, a + n): heap select, then sort heap."""
    cdef Py_ssize_t parent, i
    cdef int64_t value
    if middle > 1:
        parent = (middle - 2) // 2
        while True:
            _adjust_heap(a, parent, middle, a[parent], v, asc)
            if parent == 0:
                break
            parent -= 1
    for i in range(middle, n):
        if _before(v, a[i], a[0], asc):
            value = a[i]
            a[i] = a[0]
            _adjust_heap(a, 0, middle, value, v, asc)
    while middle > 1:
        middle -= 1
        value = a[middle]
        a[middle] = a[0]
        _adjust_heap(a, 0, middle, value, v, asc)


cdef void _introsort(int64_t* a, Py_ssize_t lo, Py_ssize_t hi, int depth, const sortkey* v,
                     bint asc) noexcept nogil:
    cdef Py_ssize_t mid, x, y, z, s, first, last
    cdef int64_t t
    while hi - lo > SORT_THRESHOLD:
        if depth == 0:
            _heap_sort_part(a + lo, hi - lo, hi - lo, v, asc)
            return
        depth -= 1
        mid = lo + (hi - lo) // 2
        x, y, z = lo + 1, mid, hi - 1  # the median of three moved to a[lo]
        if _before(v, a[x], a[y], asc):
            s = y if _before(v, a[y], a[z], asc) else (z if _before(v, a[x], a[z], asc) else x)
        elif _before(v, a[x], a[z], asc):
            s = x
        else:
            s = z if _before(v, a[y], a[z], asc) else y
        t = a[lo]; a[lo] = a[s]; a[s] = t
        first, last = lo + 1, hi  # partition around a[lo]
        while True:
            while first < hi - 1 and _before(v, a[first], a[lo], asc):
                first += 1
            last -= 1
            while _before(v, a[lo], a[last], asc):
                last -= 1
            if not first < last:
                break
            t = a[first]; a[first] = a[last]; a[last] = t
            first += 1
        _introsort(a, first, hi, depth, v, asc)
        hi = first


cdef void _insert(int64_t* a, Py_ssize_t i, Py_ssize_t lo, const sortkey* v,
                  bint asc) noexcept nogil:
    cdef int64_t value = a[i]
    while i > lo and _before(v, value, a[i - 1], asc):
        a[i] = a[i - 1]
        i -= 1
    a[i] = value


cdef void _std_sort(int64_t* a, Py_ssize_t n, const sortkey* v, bint asc) noexcept nogil:
    cdef Py_ssize_t i, j
    cdef int depth = 0
    cdef int64_t value
    if n < 2:
        return
    while (<Py_ssize_t>1 << (depth + 1)) <= n:
        depth += 1
    _introsort(a, 0, n, 2 * depth, v, asc)
    for i in range(1, min(n, SORT_THRESHOLD)):  # the guarded insertion sort of the head
        if _before(v, a[i], a[0], asc):
            value = a[i]
            for j in range(i, 0, -1):
                a[j] = a[j - 1]
            a[0] = value
        else:
            _insert(a, i, 0, v, asc)
    for i in range(SORT_THRESHOLD, n):  # the unguarded one of the rest
        _insert(a, i, 0, v, asc)


cdef void _order_rows(const sortkey* v, int64_t* out, int64_t* work, Py_ssize_t m,
                      Py_ssize_t n, Py_ssize_t k, bint asc) noexcept nogil:
    cdef Py_ssize_t r, i
    for r in range(m):
        for i in range(n):
            work[i] = i
        if k * 8 > n:
            _std_sort(work, n, v + r * n, asc)
        else:
            _heap_sort_part(work, k, n, v + r * n, asc)
        for i in range(k):
            out[r * k + i] = work[i]


def sort_order(keys, out, Py_ssize_t k, bint ascend):
    """MXNet 1.9.1's CPU sort order (TopKSort) of each row of ``keys`` (C-contiguous rows of
    n float32, float64 or int64 values): the first ``k`` positions (int64, into ``out``, rows
    of k) after libstdc++'s ``std::sort`` by ``keys[i] < keys[j]`` (``>`` descending), or its
    ``std::partial_sort`` where ``k * 8 <= n``, as MXNet chooses."""
    cdef Py_buffer vk, vo
    cdef Py_ssize_t n, m
    cdef int64_t* work
    cdef char kind
    PyObject_GetBuffer(keys, &vk, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT)
    try:
        PyObject_GetBuffer(out, &vo, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | PyBUF_WRITABLE)
        try:
            kind = vk.format[0] if vk.format[0] != 0 and vk.format[1] == 0 else 0
            if vk.ndim != 2 or vo.ndim != 2 or vo.shape[0] != vk.shape[0] or \
                    vo.shape[1] != k or not 0 <= k <= vk.shape[1] or vo.itemsize != 8 or \
                    vo.format[0] not in b"lq" or vo.format[1] != 0 or \
                    not ((kind == b"f" and vk.itemsize == 4) or
                         (kind in b"dlq" and vk.itemsize == 8)):
                raise ValueError(f"_libm.sort_order: keys {keys.shape} {keys.dtype}, out "
                                 f"{out.shape} {out.dtype}, k {k}")
            m, n = vk.shape[0], vk.shape[1]
            work = <int64_t*>PyMem_Malloc(max(n, 1) * sizeof(int64_t))
            if work == NULL:
                raise MemoryError()
            with nogil:
                if kind == b"f":
                    _order_rows(<const float*>vk.buf, <int64_t*>vo.buf, work, m, n, k, ascend)
                elif kind == b"d":
                    _order_rows(<const double*>vk.buf, <int64_t*>vo.buf, work, m, n, k, ascend)
                else:
                    _order_rows(<const int64_t*>vk.buf, <int64_t*>vo.buf, work, m, n, k, ascend)
            PyMem_Free(work)
        finally:
            PyBuffer_Release(&vo)
    finally:
        PyBuffer_Release(&vk)
