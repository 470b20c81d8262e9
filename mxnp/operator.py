"""``mxnet.operator``: the names of the registered operators, and custom operators in Python.

MXNet registers its operators in C++; mxnp's are the Primitives of ``mxnp/_ops`` (NumPy's
names, such as ``sum`` or ``relu``). A custom operator is MXNet 1.x's ``CustomOpProp`` subclass
registered with ``register`` and run by ``mx.nd.Custom``/``mx.sym.Custom``; each call is an
``autograd.Function`` whose backward is the CustomOp's.
"""
from __future__ import annotations

import functools
import itertools
import warnings

import numpy as onp

from . import _profiler_hook, autograd
from ._ops.primitive import OPS
from .base import MXNetError, OpError
from .context import current_context
from .ndarray import _registry
from .ndarray import zeros as nd_zeros
from .ndarray.ndarray import nd_view
from .symbol._json import dtype_flag

__all__ = ["CustomOp", "CustomOpProp", "NDArrayOp", "NumpyOp", "PythonOp",
           "get_all_registered_operators", "register"]


def get_all_registered_operators() -> list:
    """The names of all registered operators, sorted: MXNet 1.x's (``Activation``,
    ``FullyConnected`` ...) and mxnp's Primitives by their names."""
    return sorted(set(OPS) | set(_registry.OPS))


# ---- custom operators in Python (MXNet 1.x's CustomOp / CustomOpProp) -------------------------
_CUSTOM: dict = {}  # op_type -> the CustomOpProp subclass registered under it


class CustomOp:
    """A custom operator's computation (MXNet 1.x): ``forward`` and ``backward`` write their
    results into the given NDArrays with ``assign``. Run by ``mx.nd.Custom(..., op_type=)``."""

    def forward(self, is_train, req, in_data, out_data, aux):
        """Compute ``out_data`` from ``in_data``; ``req`` says how to write each output."""
        raise NotImplementedError

    def backward(self, req, out_grad, in_data, out_data, in_grad, aux):
        """Compute ``in_grad`` from ``out_grad``; ``req`` says how to write each gradient."""
        raise NotImplementedError

    def assign(self, dst, req, src) -> None:
        """Write ``src`` into ``dst`` as ``req`` asks: 'write'/'inplace', 'add' or 'null'."""
        if req == "null":
            return
        if req in ("write", "inplace"):
            dst[:] = src
        elif req == "add":
            dst[:] = dst + src
        else:
            raise ValueError(f"CustomOp.assign: req must be 'write', 'inplace', 'add' or "
                             f"'null', got {req!r}")


class CustomOpProp:
    """What a custom operator declares (MXNet 1.x): its arguments, outputs, auxiliary states,
    shape and type rules, and the CustomOp it creates. Register a subclass with ``register``;
    its constructor gets the operator's keyword arguments as strings."""

    def __init__(self, need_top_grad=True):
        self.need_top_grad_ = need_top_grad

    def list_arguments(self) -> list:
        """The input names (default ``['data']``)."""
        return ["data"]

    def list_outputs(self) -> list:
        """The output names (default ``['output']``)."""
        return ["output"]

    def list_auxiliary_states(self) -> list:
        """The auxiliary state names (default none)."""
        return []

    def infer_shape(self, in_shape):
        """(input shapes, output shapes, auxiliary shapes); by default every output has the
        first input's shape."""
        return in_shape, (in_shape[0],) * len(self.list_outputs()), ()

    def infer_type(self, in_type):
        """(input types, output types, auxiliary types); by default the first input's."""
        return (in_type, [in_type[0]] * len(self.list_outputs()),
                [in_type[0]] * len(self.list_auxiliary_states()))

    def declare_backward_dependency(self, out_grad, in_data, out_data) -> list:
        """What ``backward`` reads (mxnp keeps everything; kept for MXNet's API)."""
        deps = list(in_data) + list(out_data)
        return (list(out_grad) + deps) if self.need_top_grad_ else deps

    def create_operator(self, ctx, in_shapes, in_dtypes):
        """The CustomOp that computes this operator."""
        raise NotImplementedError


def register(reg_name):
    """Class decorator: register a CustomOpProp subclass as the custom operator ``reg_name``."""
    def do_register(prop_cls):
        if not (isinstance(prop_cls, type) and issubclass(prop_cls, CustomOpProp)):
            raise TypeError(f"operator.register({reg_name!r}): expected a CustomOpProp "
                            f"subclass, got {prop_cls!r}")
        _CUSTOM[reg_name] = prop_cls
        return prop_cls
    return do_register


def custom_prop(op_type, kwargs: dict) -> CustomOpProp:
    """The registered CustomOpProp of ``op_type`` made with ``kwargs`` (as strings, as MXNet)."""
    cls = _CUSTOM.get(op_type)
    if cls is None:
        # MXNet raises MXNetError; OpError is one (and a ValueError, as mxnp's bad values are)
        raise OpError(f"Custom: no custom operator {op_type!r} is registered (registered: "
                         f"{sorted(_CUSTOM)}); decorate its CustomOpProp with "
                         "mx.operator.register")
    return cls(**{k: str(v) for k, v in kwargs.items()})


class _CustomCall(autograd.Function):
    """One call of a custom operator on the tape: its CustomOp's backward is the VJP."""

    def __init__(self, op, out_shapes, out_types, aux, ctx, op_type="custom"):
        super().__init__()
        self.op, self.out_shapes, self.out_types, self.aux = op, out_shapes, out_types, aux
        self.ctx, self.op_type = ctx, op_type

    def forward(self, *inputs):
        self.in_data = [nd_view(x) for x in inputs]
        self.out_data = [nd_zeros(tuple(s), dtype=t, ctx=self.ctx)
                         for s, t in zip(self.out_shapes, self.out_types)]
        _profiler_hook.as_custom(
            self.op_type, f"{self.op_type}::pure_python", functools.partial(
                self.op.forward, is_train=int(autograd.is_training()),
                req=["write"] * len(self.out_data), in_data=self.in_data,
                out_data=self.out_data, aux=self.aux))
        outs = tuple(o.as_np_ndarray() for o in self.out_data)
        return outs[0] if len(outs) == 1 else outs

    def backward(self, *out_grads):
        in_grad = [nd_zeros(x.shape, dtype=x.dtype, ctx=x.ctx) for x in self.in_data]
        _profiler_hook.as_custom(
            self.op_type, f"_backward_{self.op_type}::pure_python", functools.partial(
                self.op.backward, req=["write"] * len(in_grad),
                out_grad=[nd_view(g) for g in out_grads], in_data=self.in_data,
                out_data=self.out_data, in_grad=in_grad, aux=self.aux))
        grads = tuple(g.as_np_ndarray() for g in in_grad)
        return grads[0] if len(grads) == 1 else grads


def run_custom(op_type, data, kwargs):
    """``mx.nd.Custom``: run the custom operator ``op_type`` on ``data`` (its arguments, then
    its auxiliary states), recorded with its own backward."""
    prop = custom_prop(op_type, kwargs)
    n_in = len(prop.list_arguments())
    if len(data) != n_in + len(prop.list_auxiliary_states()):
        raise ValueError(f"Custom({op_type!r}): {len(data)} inputs for the arguments "
                         f"{prop.list_arguments()} and auxiliary states "
                         f"{prop.list_auxiliary_states()}")
    inputs, aux = list(data[:n_in]), [nd_view(a) for a in data[n_in:]]
    in_shapes = [list(x.shape) for x in inputs]
    # infer_shape/infer_type may leave out the auxiliary states' entry, as MXNet allows
    out_shapes = prop.infer_shape(in_shapes)[1]
    out_types = prop.infer_type([onp.dtype(x.dtype).type for x in inputs])[1]
    ctx = (inputs or aux)[0].ctx if inputs or aux else current_context()
    op = prop.create_operator(ctx, in_shapes, [dtype_flag(x.dtype) for x in inputs])
    try:
        return _CustomCall(op, out_shapes, out_types, aux, ctx, op_type)(*inputs)
    except MXNetError:
        raise
    except Exception as e:
        raise MXNetError(f"Custom({op_type!r}): {type(e).__name__}: {e}") from e


# ---- MXNet 1.x's first Python operators (deprecated there in favour of CustomOp) -------------
class PythonOp:
    """The base of ``NumpyOp`` and ``NDArrayOp``: an operator written in Python whose
    ``get_symbol(*inputs)`` makes its graph node (here a Custom node running it)."""
    _ref_holder: list = []
    _names = itertools.count()

    def __init__(self, need_top_grad=True):
        self.info_ = None
        self.need_top_grad_ = need_top_grad

    def __call__(self, *args, **kwargs):
        """``get_symbol(*args, **kwargs)``."""
        return self.get_symbol(*args, **kwargs)

    def get_symbol(self, *args, **kwargs):
        """The Symbol of this operator applied to the Symbols ``args``."""
        raise NotImplementedError("Must override this")

    def forward(self, in_data, out_data):
        """Write the outputs from the inputs (by default the first input, copied)."""
        out_data[0][:] = in_data[0]

    def backward(self, out_grad, in_data, out_data, in_grad):
        """Write the input gradients (by default ones)."""
        in_grad[0][:] = 1.0

    def infer_shape(self, in_shape):
        """(input shapes, output shapes); by default one output of the first input's shape."""
        return in_shape, [in_shape[0]]

    def list_outputs(self) -> list:
        """The output names (default ``['output']``)."""
        return ["output"]

    def list_arguments(self) -> list:
        """The input names (default ``['data']``)."""
        return ["data"]

    def need_top_grad(self) -> bool:
        """Whether ``backward`` reads the output gradients."""
        return self.need_top_grad_

    def _symbol(self, as_numpy: bool, args, kwargs):
        op_type = f"_python_op{next(PythonOp._names)}"
        python_op = self

        class _Prop(CustomOpProp):
            def __init__(self):
                super().__init__(python_op.need_top_grad())

            def list_arguments(self):
                return python_op.list_arguments()

            def list_outputs(self):
                return python_op.list_outputs()

            def infer_shape(self, in_shape):
                ishape, oshape = python_op.infer_shape(in_shape)
                return ishape, oshape, []

            def create_operator(self, ctx, in_shapes, in_dtypes):
                return _PythonOpRunner(python_op, as_numpy)

        register(op_type)(_Prop)
        PythonOp._ref_holder.append(self)
        from . import symbol  # here: mx.sym's operator functions need the registry filled

        return symbol.Custom(*args, op_type=op_type, **kwargs)


class _PythonOpRunner(CustomOp):
    """A PythonOp run as a CustomOp: NumPy copies in and out for a NumpyOp, the NDArrays
    themselves for an NDArrayOp."""

    def __init__(self, python_op, as_numpy: bool):
        self.python_op, self.as_numpy = python_op, as_numpy

    def _call(self, method, groups: dict, written: list) -> None:
        if not self.as_numpy:
            method(**groups)
            return
        host = {k: [a.asnumpy() for a in v] for k, v in groups.items()}
        method(**host)
        for key in written:
            for dst, src in zip(groups[key], host[key]):
                dst[:] = src

    def forward(self, is_train, req, in_data, out_data, aux):
        self._call(self.python_op.forward, {"in_data": in_data, "out_data": out_data},
                   ["out_data"])

    def backward(self, req, out_grad, in_data, out_data, in_grad, aux):
        self._call(self.python_op.backward, {"out_grad": out_grad, "in_data": in_data,
                                             "out_data": out_data, "in_grad": in_grad},
                   ["in_grad"])


class _Deprecated(PythonOp):
    """NumpyOp and NDArrayOp: what they share."""
    _AS_NUMPY = True

    def __init__(self, need_top_grad=True):
        super().__init__(need_top_grad)
        warnings.warn(f"{self._KIND} has been deprecated. Please use CustomOp", stacklevel=3)

    def get_symbol(self, *args, **kwargs):
        """The Symbol of this operator applied to the Symbols ``args``."""
        return self._symbol(self._AS_NUMPY, args, kwargs)


class NumpyOp(_Deprecated):
    """Deprecated (use CustomOp): a PythonOp whose ``forward``/``backward`` get NumPy arrays."""
    _KIND = "NumpyOp"


class NDArrayOp(_Deprecated):
    """Deprecated (use CustomOp): a PythonOp whose ``forward``/``backward`` get NDArrays."""
    _KIND, _AS_NUMPY = "NDArrayOp", False
    declare_backward_dependency = CustomOpProp.declare_backward_dependency
