"""``mx.nd``: MXNet 1.x's imperative ``NDArray`` interface on mxnp's arrays and tape.

Every operator here is one row of ``mxnp.ndarray._registry.OPS``, the table ``mx.sym`` builds
on (``_registry``'s docstring states that interface); ``mx.nd.np`` and ``mx.nd.npx`` are mxnp's
NumPy namespaces (gluon layers call ``F.np``/``F.npx``). ``mx.nd.sparse`` raises
NotImplementedError: only dense storage exists.
"""
from __future__ import annotations

from .. import numpy as np
from .. import numpy_extension as npx
from . import _internal as _internal  # mx.nd._internal
from . import contrib, image, linalg, ndarray, op, random, sparse, utils
from ._creation import (
    arange,
    array,
    empty,
    eye,
    full,
    linspace,
    ones,
    ones_like,
    zeros,
    zeros_like,
)
from ._indexing import (
    SequenceLast,
    SequenceMask,
    SequenceReverse,
    argmax,
    argmax_channel,
    argmin,
    argsort,
    batch_take,
    gather_nd,
    one_hot,
    pick,
    scatter_nd,
    sort,
    take,
    topk,
    where,
)
from ._layers import (
    LRN,
    RNN,
    Correlation,
    Embedding,
    GroupNorm,
    InstanceNorm,
    L2Normalization,
    LayerNorm,
    LeakyReLU,
    ROIPooling,
    add_n,
    batch_dot,
    cumsum,
    dot,
    khatri_rao,
    moments,
    norm,
    smooth_l1,
    softmax_cross_entropy,
)
from ._misc import (
    CachedOp,
    Custom,
    all_finite,
    amp_cast,
    amp_multicast,
    cast_storage,
    concatenate,
    fill_element_0index,
    from_dlpack,
    from_numpy,
    histogram,
    multi_all_finite,
    multi_sum_sq,
    onehot_encode,
    ravel_multi_index,
    reset_arrays,
    to_dlpack_for_read,
    to_dlpack_for_write,
    unravel_index,
    waitall,
)
from ._nn import (
    Activation,
    BatchNorm,
    BatchNorm_v1,
    BlockGrad,
    Concat,
    Convolution,
    CTCLoss,
    Deconvolution,
    Dropout,
    Flatten,
    FullyConnected,
    LinearRegressionOutput,
    LogisticRegressionOutput,
    MAERegressionOutput,
    MakeLoss,
    Pooling,
    Pooling_v1,
    SoftmaxActivation,
    SoftmaxOutput,
    SVMOutput,
    log_softmax,
    relu,
    sigmoid,
    softmax,
    softmin,
)
from ._pdf import (
    col2im,
    im2col,
    random_pdf_dirichlet,
    random_pdf_exponential,
    random_pdf_gamma,
    random_pdf_generalized_negative_binomial,
    random_pdf_negative_binomial,
    random_pdf_normal,
    random_pdf_poisson,
    random_pdf_uniform,
)
from ._registry import OPS
from ._sample_ops import (
    exponential_like,
    gamma_like,
    generalized_negative_binomial_like,
    negative_binomial_like,
    normal_like,
    poisson_like,
    random_exponential,
    random_gamma,
    random_generalized_negative_binomial,
    random_negative_binomial,
    random_normal,
    random_poisson,
    random_randint,
    random_uniform,
    sample_exponential,
    sample_gamma,
    sample_generalized_negative_binomial,
    sample_negative_binomial,
    sample_normal,
    sample_poisson,
    sample_uniform,
    uniform_like,
)
from ._shape import (
    Crop,
    Pad,
    Reshape,
    SliceChannel,
    SwapAxis,
    UpSampling,
    broadcast_axis,
    broadcast_like,
    broadcast_to,
    depth_to_space,
    diag,
    expand_dims,
    moveaxis,
    repeat,
    reshape_like,
    reverse,
    shape_array,
    size_array,
    slice,
    slice_axis,
    slice_like,
    space_to_depth,
    split_v2,
    squeeze,
    stack,
    tile,
    transpose,
)
from ._spatial import (
    BilinearSampler,
    GridGenerator,
    SpatialTransformer,
)
from ._tensor import (
    broadcast_add,
    broadcast_div,
    broadcast_equal,
    broadcast_greater,
    broadcast_greater_equal,
    broadcast_hypot,
    broadcast_lesser,
    broadcast_lesser_equal,
    broadcast_logical_and,
    broadcast_logical_or,
    broadcast_logical_xor,
    broadcast_maximum,
    broadcast_minimum,
    broadcast_mod,
    broadcast_mul,
    broadcast_not_equal,
    broadcast_power,
    broadcast_sub,
    elemwise_add,
    elemwise_div,
    elemwise_mul,
    elemwise_sub,
    max,
    mean,
    min,
    nanprod,
    nansum,
    power,
    prod,
    sum,
)
from ._unary import (
    Cast,
    abs,
    arccos,
    arccosh,
    arcsin,
    arcsinh,
    arctan,
    arctanh,
    cbrt,
    ceil,
    clip,
    cos,
    cosh,
    degrees,
    erf,
    erfinv,
    exp,
    expm1,
    fix,
    floor,
    gamma,
    gammaln,
    hard_sigmoid,
    identity,
    log,
    log1p,
    log2,
    log10,
    logical_not,
    negative,
    radians,
    rcbrt,
    reciprocal,
    rint,
    round,
    rsqrt,
    sign,
    sin,
    sinh,
    softsign,
    sqrt,
    square,
    tan,
    tanh,
    trunc,
)
from ._update import (
    adam_update,
    adamw_update,
    ftml_update,
    ftrl_update,
    lamb_update_phase1,
    lamb_update_phase2,
    mp_adamw_update,
    mp_lamb_update_phase1,
    mp_lamb_update_phase2,
    mp_nag_mom_update,
    mp_sgd_mom_update,
    mp_sgd_update,
    multi_lars,
    multi_mp_sgd_mom_update,
    multi_mp_sgd_update,
    multi_sgd_mom_update,
    multi_sgd_update,
    nag_mom_update,
    preloaded_multi_mp_sgd_mom_update,
    preloaded_multi_mp_sgd_update,
    preloaded_multi_sgd_mom_update,
    preloaded_multi_sgd_update,
    rmsprop_update,
    rmspropalex_update,
    sgd_mom_update,
    sgd_update,
    signsgd_update,
    signum_update,
)
from .ndarray import NDArray
from .utils import load, load_frombuffer, save

# MXNet's second names for the same operators (one function each; the registry has them too)
numpy = np
ctc_loss = CTCLoss
numpy_extension = npx
cast = Cast
Softmax = SoftmaxOutput
flatten = Flatten
concat = Concat
reshape = Reshape
stop_gradient = BlockGrad
make_loss = MakeLoss
ElementWiseSum = add_n
split = SliceChannel
swapaxes = SwapAxis
flip = reverse
crop = slice
pad = Pad
broadcast_axes = broadcast_axis
choose_element_0index = pick
broadcast_plus = add = broadcast_add
broadcast_minus = subtract = broadcast_sub
multiply = broadcast_mul
divide = true_divide = broadcast_div
modulo = broadcast_mod
maximum = broadcast_maximum
minimum = broadcast_minimum
equal = broadcast_equal
not_equal = broadcast_not_equal
greater = broadcast_greater
greater_equal = broadcast_greater_equal
lesser = broadcast_lesser
lesser_equal = broadcast_lesser_equal
logical_and = broadcast_logical_and
logical_or = broadcast_logical_or
logical_xor = broadcast_logical_xor
sum_axis = sum
max_axis = max
min_axis = min
shuffle = random.shuffle
sample_multinomial = random.multinomial
uniform = random_uniform
normal = random_normal
linalg_gemm = linalg.gemm
linalg_gemm2 = linalg.gemm2
linalg_potrf = linalg.potrf
linalg_potri = linalg.potri
linalg_trsm = linalg.trsm
linalg_trmm = linalg.trmm
linalg_syrk = linalg.syrk
linalg_gelqf = linalg.gelqf
linalg_sumlogdiag = linalg.sumlogdiag
linalg_extractdiag = linalg.extractdiag
linalg_makediag = linalg.makediag
linalg_extracttrian = linalg.extracttrian
linalg_maketrian = linalg.maketrian
linalg_det = linalg.det
linalg_inverse = linalg.inverse
linalg_slogdet = linalg.slogdet
Convolution_v1 = Convolution

__all__ = [  # noqa: RUF022 - sorted ignoring case, as MXNet lists them
    "abs", "Activation", "adam_update", "adamw_update", "add", "add_n", "all_finite", "amp_cast",
    "amp_multicast", "arange", "arccos", "arccosh", "arcsin", "arcsinh", "arctan", "arctanh",
    "argmax", "argmax_channel", "argmin", "argsort", "array", "batch_dot", "batch_take",
    "BatchNorm", "BatchNorm_v1", "BilinearSampler", "BlockGrad", "broadcast_add", "broadcast_axes",
    "broadcast_axis", "broadcast_div", "broadcast_equal", "broadcast_greater",
    "broadcast_greater_equal", "broadcast_hypot", "broadcast_lesser", "broadcast_lesser_equal",
    "broadcast_like", "broadcast_logical_and", "broadcast_logical_or", "broadcast_logical_xor",
    "broadcast_maximum", "broadcast_minimum", "broadcast_minus", "broadcast_mod", "broadcast_mul",
    "broadcast_not_equal", "broadcast_plus", "broadcast_power", "broadcast_sub", "broadcast_to",
    "CachedOp", "Cast", "cast", "cast_storage", "cbrt", "ceil", "choose_element_0index", "clip", "col2im",
    "Concat", "concat", "concatenate", "contrib", "Convolution", "Convolution_v1", "Correlation",
    "cos", "cosh", "Crop", "crop", "CTCLoss", "ctc_loss", "cumsum", "Custom", "Deconvolution", "degrees", "depth_to_space", "diag",
    "divide", "dot", "Dropout", "ElementWiseSum", "elemwise_add", "elemwise_div", "elemwise_mul",
    "elemwise_sub", "Embedding", "empty", "equal", "erf", "erfinv", "exp", "expand_dims", "expm1",
    "exponential_like", "eye", "fill_element_0index", "fix", "Flatten", "flatten", "flip", "floor",
    "from_dlpack", "from_numpy", "ftml_update", "ftrl_update", "full", "FullyConnected", "gamma",
    "gamma_like", "gammaln", "gather_nd", "generalized_negative_binomial_like", "greater",
    "greater_equal", "GridGenerator", "GroupNorm", "hard_sigmoid", "histogram", "identity",
    "im2col", "image", "InstanceNorm", "khatri_rao", "L2Normalization", "lamb_update_phase1",
    "lamb_update_phase2", "LayerNorm", "LeakyReLU", "lesser", "lesser_equal", "linalg",
    "linalg_det", "linalg_extractdiag", "linalg_extracttrian", "linalg_gelqf", "linalg_gemm",
    "linalg_gemm2", "linalg_inverse", "linalg_makediag", "linalg_maketrian", "linalg_potrf",
    "linalg_potri", "linalg_slogdet", "linalg_sumlogdiag", "linalg_syrk", "linalg_trmm",
    "linalg_trsm", "LinearRegressionOutput", "linspace", "load", "load_frombuffer", "log", "log10",
    "log1p", "log2", "log_softmax", "logical_and", "logical_not", "logical_or", "logical_xor",
    "LogisticRegressionOutput", "LRN", "MAERegressionOutput", "make_loss", "MakeLoss", "max",
    "max_axis", "maximum", "mean", "min", "min_axis", "minimum", "modulo", "moments", "moveaxis",
    "mp_adamw_update", "mp_lamb_update_phase1", "mp_lamb_update_phase2", "mp_nag_mom_update",
    "mp_sgd_mom_update", "mp_sgd_update", "multi_all_finite", "multi_lars",
    "multi_mp_sgd_mom_update", "multi_mp_sgd_update", "multi_sgd_mom_update", "multi_sgd_update",
    "multi_sum_sq", "multiply", "nag_mom_update", "nanprod", "nansum", "NDArray", "ndarray",
    "negative", "negative_binomial_like", "norm", "normal", "normal_like", "not_equal", "np",
    "npx", "numpy", "numpy_extension", "one_hot", "onehot_encode", "ones", "ones_like", "OPS",
    "Pad", "pad", "pick", "poisson_like", "Pooling", "Pooling_v1", "power",
    "preloaded_multi_mp_sgd_mom_update", "preloaded_multi_mp_sgd_update",
    "preloaded_multi_sgd_mom_update", "preloaded_multi_sgd_update", "prod", "radians", "random",
    "random_exponential", "random_gamma", "random_generalized_negative_binomial",
    "random_negative_binomial", "random_normal", "random_pdf_dirichlet", "random_pdf_exponential",
    "random_pdf_gamma", "random_pdf_generalized_negative_binomial", "random_pdf_negative_binomial",
    "random_pdf_normal", "random_pdf_poisson", "random_pdf_uniform", "random_poisson",
    "random_randint", "random_uniform", "ravel_multi_index", "rcbrt", "reciprocal", "relu",
    "repeat", "reset_arrays", "Reshape", "reshape", "reshape_like", "reverse", "rint",
    "rmsprop_update", "rmspropalex_update", "RNN", "ROIPooling", "round", "rsqrt",
    "sample_exponential", "sample_gamma", "sample_generalized_negative_binomial",
    "sample_multinomial", "sample_negative_binomial", "sample_normal", "sample_poisson",
    "sample_uniform", "save", "scatter_nd", "SequenceLast", "SequenceMask", "SequenceReverse",
    "sgd_mom_update", "sgd_update", "shape_array", "shuffle", "sigmoid", "sign", "signsgd_update",
    "signum_update", "sin", "sinh", "size_array", "slice", "slice_axis", "slice_like",
    "SliceChannel", "smooth_l1", "Softmax", "softmax", "softmax_cross_entropy",
    "SoftmaxActivation", "SoftmaxOutput", "softmin", "softsign", "sort", "space_to_depth",
    "sparse", "SpatialTransformer", "split", "split_v2", "sqrt", "square", "squeeze", "stack",
    "stop_gradient", "subtract", "sum", "sum_axis", "SVMOutput", "swapaxes", "SwapAxis", "take",
    "tan", "tanh", "tile", "to_dlpack_for_read", "to_dlpack_for_write", "topk", "transpose",
    "true_divide", "trunc", "uniform", "uniform_like", "unravel_index", "UpSampling", "utils",
    "waitall", "where", "zeros", "zeros_like",
]
