"""Every public name of MXNet 1.9.1's ``mx.nd`` exists in ``mxnp.ndarray``, except an explicit,
justified list; every public name has a real signature and a docstring.

MXNET_ND_NAMES was recorded with tools/mxref running
``print([n for n in dir(mx.nd) if not n.startswith("_")])`` (333 names).
"""
from __future__ import annotations

import inspect
import json
import pathlib

import pytest

from mxnp import ndarray as nd
from mxnp.ndarray._registry import OPS

MXNET_ND_NAMES = (
    "Activation", "BatchNorm", "BatchNorm_v1", "BilinearSampler", "BlockGrad", "CTCLoss",
    "CachedOp", "Cast", "Concat", "Convolution", "Convolution_v1", "Correlation", "Crop",
    "Custom", "Deconvolution", "Dropout", "ElementWiseSum", "Embedding", "Flatten",
    "FullyConnected", "GridGenerator", "GroupNorm", "IdentityAttachKLSparseReg",
    "InstanceNorm", "L2Normalization", "LRN", "LayerNorm", "LeakyReLU",
    "LinearRegressionOutput", "LogisticRegressionOutput", "MAERegressionOutput", "MakeLoss",
    "NDArray", "Pad", "Pooling", "Pooling_v1", "RNN", "ROIPooling", "Reshape", "SVMOutput",
    "SequenceLast", "SequenceMask", "SequenceReverse", "SliceChannel", "Softmax",
    "SoftmaxActivation", "SoftmaxOutput", "SpatialTransformer", "SwapAxis", "UpSampling",
    "abs", "adam_update", "add", "add_n", "all_finite", "amp_cast", "amp_multicast", "arange",
    "arccos", "arccosh", "arcsin", "arcsinh", "arctan", "arctanh", "argmax", "argmax_channel",
    "argmin", "argsort", "array", "batch_dot", "batch_take", "broadcast_add", "broadcast_axes",
    "broadcast_axis", "broadcast_div", "broadcast_equal", "broadcast_greater",
    "broadcast_greater_equal", "broadcast_hypot", "broadcast_lesser", "broadcast_lesser_equal",
    "broadcast_like", "broadcast_logical_and", "broadcast_logical_or", "broadcast_logical_xor",
    "broadcast_maximum", "broadcast_minimum", "broadcast_minus", "broadcast_mod",
    "broadcast_mul", "broadcast_not_equal", "broadcast_plus", "broadcast_power",
    "broadcast_sub", "broadcast_to", "cast", "cast_storage", "cbrt", "ceil",
    "choose_element_0index", "clip", "col2im", "concat", "concatenate", "contrib", "cos",
    "cosh", "crop", "ctc_loss", "cumsum", "degrees", "depth_to_space", "diag", "divide", "dot",
    "elemwise_add", "elemwise_div", "elemwise_mul", "elemwise_sub", "empty", "equal", "erf",
    "erfinv", "exp", "expand_dims", "expm1", "eye", "fill_element_0index", "fix", "flatten",
    "flip", "floor", "from_dlpack", "from_numpy", "ftml_update", "ftrl_update", "full",
    "gamma", "gammaln", "gather_nd", "gen__internal", "gen_contrib", "gen_image", "gen_linalg",
    "gen_op", "gen_sparse", "get_indexing_dispatch_code", "get_oshape_of_gather_nd_op",
    "greater", "greater_equal", "hard_sigmoid", "histogram", "identity", "im2col", "image",
    "imdecode", "indexing_key_expand_implicit_axes", "khatri_rao", "lamb_update_phase1",
    "lamb_update_phase2", "lesser", "lesser_equal", "linalg", "linalg_det",
    "linalg_extractdiag", "linalg_extracttrian", "linalg_gelqf", "linalg_gemm", "linalg_gemm2",
    "linalg_inverse", "linalg_makediag", "linalg_maketrian", "linalg_potrf", "linalg_potri",
    "linalg_slogdet", "linalg_sumlogdiag", "linalg_syrk", "linalg_trmm", "linalg_trsm",
    "linspace", "load", "load_frombuffer", "log", "log10", "log1p", "log2", "log_softmax",
    "logical_and", "logical_not", "logical_or", "logical_xor", "make_loss", "max", "max_axis",
    "maximum", "mean", "min", "min_axis", "minimum", "modulo", "moments", "moveaxis",
    "mp_lamb_update_phase1", "mp_lamb_update_phase2", "mp_nag_mom_update", "mp_sgd_mom_update",
    "mp_sgd_update", "multi_all_finite", "multi_lars", "multi_mp_sgd_mom_update",
    "multi_mp_sgd_update", "multi_sgd_mom_update", "multi_sgd_update", "multi_sum_sq",
    "multiply", "nag_mom_update", "nanprod", "nansum", "ndarray", "negative", "norm", "normal",
    "not_equal", "np", "npx", "numpy", "numpy_extension", "one_hot", "onehot_encode", "ones",
    "ones_like", "op", "pad", "pick", "power", "preloaded_multi_mp_sgd_mom_update",
    "preloaded_multi_mp_sgd_update", "preloaded_multi_sgd_mom_update",
    "preloaded_multi_sgd_update", "prod", "radians", "random", "random_exponential",
    "random_gamma", "random_generalized_negative_binomial", "random_negative_binomial",
    "random_normal", "random_pdf_dirichlet", "random_pdf_exponential", "random_pdf_gamma",
    "random_pdf_generalized_negative_binomial", "random_pdf_negative_binomial",
    "random_pdf_normal", "random_pdf_poisson", "random_pdf_uniform", "random_poisson",
    "random_randint", "random_uniform", "ravel_multi_index", "rcbrt", "reciprocal", "register",
    "relu", "repeat", "reset_arrays", "reshape", "reshape_like", "reverse", "rint",
    "rmsprop_update", "rmspropalex_update", "round", "rsqrt", "sample_exponential",
    "sample_gamma", "sample_generalized_negative_binomial", "sample_multinomial",
    "sample_negative_binomial", "sample_normal", "sample_poisson", "sample_uniform", "save",
    "scatter_nd", "sgd_mom_update", "sgd_update", "shape_array", "shuffle", "sigmoid", "sign",
    "signsgd_update", "signum_update", "sin", "sinh", "size_array", "slice", "slice_axis",
    "slice_like", "smooth_l1", "softmax", "softmax_cross_entropy", "softmin", "softsign",
    "sort", "space_to_depth", "sparse", "split", "split_v2", "sqrt", "square", "squeeze",
    "stack", "stop_gradient", "subtract", "sum", "sum_axis", "swapaxes", "take", "tan", "tanh",
    "tile", "to_dlpack_for_read", "to_dlpack_for_write", "topk", "transpose", "true_divide",
    "trunc", "uniform", "unravel_index", "utils", "waitall", "where", "zeros", "zeros_like"
)

NOT_PROVIDED = {
    # MXNet's C-API plumbing and code generation, with no meaning without its engine
    "register": "registers C++ operators into the namespace at import",
    "gen__internal": "generated module", "gen_contrib": "generated module",
    "gen_image": "generated module", "gen_linalg": "generated module",
    "gen_op": "generated module", "gen_sparse": "generated module",
    "get_indexing_dispatch_code": "an indexing helper internal to MXNet's NDArray",
    "get_oshape_of_gather_nd_op": "an indexing helper internal to MXNet's NDArray",
    "indexing_key_expand_implicit_axes": "an indexing helper internal to MXNet's NDArray",
    # deliberately not done
    "IdentityAttachKLSparseReg": "a KL sparsity penalty with its own moving average: not done",
    "imdecode": "deprecated in 1.x; mx.image.imdecode decodes images",
}


def test_the_recorded_list_is_complete():
    assert len(MXNET_ND_NAMES) == 333 and len(set(MXNET_ND_NAMES)) == 333
    assert set(NOT_PROVIDED) <= set(MXNET_ND_NAMES)


def test_every_mxnet_name_exists():
    missing = [n for n in MXNET_ND_NAMES if n not in NOT_PROVIDED and not hasattr(nd, n)]
    assert not missing, f"mx.nd lacks {missing}"


def test_excluded_names_are_really_absent():
    present = [n for n in NOT_PROVIDED if hasattr(nd, n)]
    assert not present, f"{present} exist now: take them off NOT_PROVIDED"


PUBLIC = [(nd, n) for n in sorted(set(nd.__all__))] + [
    (module, n) for module in (nd.contrib, nd.linalg, nd.random, nd.image, nd.sparse, nd.utils)
    for n in module.__all__]


@pytest.mark.parametrize("module, name", PUBLIC,
                         ids=[f"{m.__name__.split('.')[-1]}.{n}" for m, n in PUBLIC])
def test_public_names_have_signature_and_docstring(module, name):
    obj = getattr(module, name)
    if inspect.ismodule(obj) or isinstance(obj, dict):
        return
    assert obj.__doc__ and obj.__doc__.strip(), f"{name} has no docstring"
    if callable(obj) and not inspect.isclass(obj):
        inspect.signature(obj)  # raises when there is none


def test_registry_functions_are_the_public_operators():
    for name in ("FullyConnected", "Convolution", "softmax", "sum", "topk", "RNN"):
        assert OPS[name].fn is getattr(nd, name)
    assert OPS["_linalg_gemm2"].fn is nd.linalg.gemm2
    assert OPS["_random_uniform"].fn is nd.random_uniform is nd.uniform
    assert OPS["_sample_normal"].fn is nd.sample_normal


def _positional(f) -> list:
    return [p.name for p in inspect.signature(f).parameters.values()
            if p.kind in (p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL)
            and p.name not in ("out", "name")]


def test_positional_arguments_come_in_mxnet_order():
    table = json.loads((pathlib.Path(__file__).resolve().parent.parent / "data" / "legacy_nd"
                        / "signatures.json").read_text())
    wrong = []
    for key, theirs in table.items():
        obj = nd
        for part in key.split("."):
            obj = getattr(obj, part, None)
        if obj is None or inspect.isclass(obj) or inspect.ismodule(obj) or not callable(obj):
            continue
        ours = _positional(obj)
        if ours[:len(theirs)] != theirs:
            wrong.append((key, theirs, ours))
    assert not wrong, wrong


# recorded with tools/mxref: [n for n in dir(mx.nd.NDArray) if not n.startswith("_")]
MXNET_NDARRAY_MEMBERS = (
    "T", "abs", "arccos", "arccosh", "arcsin", "arcsinh", "arctan", "arctanh", "argmax",
    "argmax_channel", "argmin", "argsort", "as_in_context", "as_nd_ndarray", "as_np_ndarray",
    "asnumpy", "asscalar", "astype", "attach_grad", "backward", "broadcast_axes",
    "broadcast_like", "broadcast_to", "cbrt", "ceil", "clip", "context", "copy", "copyto",
    "cos", "cosh", "ctx", "degrees", "depth_to_space", "detach", "diag", "dtype", "exp",
    "expand_dims", "expm1", "fix", "flatten", "flip", "floor", "grad", "handle", "log", "log10",
    "log1p", "log2", "log_softmax", "max", "mean", "min", "nanprod", "nansum", "ndim", "norm",
    "one_hot", "ones_like", "pad", "pick", "prod", "radians", "rcbrt", "reciprocal", "relu",
    "repeat", "reshape", "reshape_like", "rint", "round", "rsqrt", "shape", "shape_array",
    "sigmoid", "sign", "sin", "sinh", "size", "size_array", "slice", "slice_assign",
    "slice_assign_scalar", "slice_axis", "slice_like", "softmax", "softmin", "sort",
    "space_to_depth", "split", "split_v2", "sqrt", "square", "squeeze", "stype", "sum",
    "swapaxes", "take", "tan", "tanh", "tile", "to_dlpack_for_read", "to_dlpack_for_write",
    "topk", "tostype", "transpose", "trunc", "wait_to_read", "writable", "zeros_like",
)


def test_every_ndarray_member_exists():
    assert not [n for n in MXNET_NDARRAY_MEMBERS if not hasattr(nd.NDArray, n)]


@pytest.mark.parametrize("name", ["relu", "exp", "softmax", "argmax", "slice_axis", "topk",
                                  "clip", "transpose", "flip", "tile", "zeros_like", "norm"])
def test_fluent_methods_return_ndarrays(name):
    x = nd.array([[0.5, -1.0, 2.0], [1.5, 0.0, -0.5]])
    args = {"slice_axis": {"axis": 1, "begin": 0, "end": 2}, "clip": {"a_min": 0, "a_max": 1},
            "tile": {"reps": (1, 2)}, "flip": {"axis": 0}}.get(name, {})
    got = getattr(x, name)(**args)
    assert type(got) is nd.NDArray
    assert got.asnumpy().tolist() == getattr(nd, name)(x, **args).asnumpy().tolist()
