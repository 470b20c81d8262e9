"""Pooling layers and ReflectionPad2D for gluon.nn (re-exported by conv_layers).

Each layer is one call of ``npx.pooling`` (or ``np.pad``) with the arguments fixed at
construction, so gradients come from those ops. Constructor signatures, argument orders,
accepted layouts and ``repr`` texts are MXNet 1.9.1's.
"""
from __future__ import annotations

import numbers

from ..block import HybridBlock

_LAYOUTS = {1: ("NCW", "NWC"), 2: ("NCHW", "NHWC"), 3: ("NCDHW", "NDHWC")}


def _expand(value, n):
    """An int repeated ``n`` times as a tuple; a sequence is kept as given (MXNet prints it so)."""
    return (value,) * n if isinstance(value, numbers.Number) else value


def _check_layout(layout, nd):
    # MXNet asserts here, so the error type is AssertionError (an assert would vanish under -O)
    if layout not in _LAYOUTS[nd]:
        raise AssertionError(f"{nd}D pooling takes layout {' or '.join(_LAYOUTS[nd])}, "
                             f"got {layout!r}")


def _window(pool_size, nd):
    """``pool_size`` as ``nd`` numbers, after checking its length."""
    size = _expand(pool_size, nd)
    if len(size) != nd:
        raise AssertionError(f"pool_size must be a number or a sequence of {nd} ints, "
                             f"got {pool_size!r}")
    return size


class _Pooling(HybridBlock):
    """The shared body of every pooling layer: fixed ``npx.pooling`` arguments."""

    def __init__(self, pool_size, strides, padding, ceil_mode, global_pool, pool_type, layout,
                 count_include_pad=None, **kwargs):
        super().__init__(**kwargs)
        n = len(pool_size)
        self._kwargs = {
            "kernel": pool_size, "stride": _expand(pool_size if strides is None else strides, n),
            "pad": _expand(padding, n), "global_pool": global_pool, "pool_type": pool_type,
            "layout": layout, "pooling_convention": "full" if ceil_mode else "valid"}
        if count_include_pad is not None:
            self._kwargs["count_include_pad"] = count_include_pad

    def _alias(self):
        return "pool"

    def hybrid_forward(self, F, x):
        """Pool ``x`` (batch, channels and 1-3 spatial axes in the layer's layout)."""
        return F.npx.pooling(x, name="fwd", **self._kwargs)

    def __repr__(self):
        k = self._kwargs
        return (f"{type(self).__name__}(size={k['kernel']}, stride={k['stride']}, "
                f"padding={k['pad']}, ceil_mode={k['pooling_convention'] == 'full'}, "
                f"global_pool={k['global_pool']}, pool_type={k['pool_type']}, "
                f"layout={k['layout']})")


class MaxPool1D(_Pooling):
    """Max pooling over one spatial axis; ``strides=None`` means ``pool_size``."""

    def __init__(self, pool_size=2, strides=None, padding=0, layout="NCW", ceil_mode=False,
                 **kwargs):
        _check_layout(layout, 1)
        super().__init__(_window(pool_size, 1), strides, padding, ceil_mode, False, "max",
                         layout, **kwargs)


class MaxPool2D(_Pooling):
    """Max pooling over two spatial axes; ``strides=None`` means ``pool_size``."""

    def __init__(self, pool_size=(2, 2), strides=None, padding=0, layout="NCHW",
                 ceil_mode=False, **kwargs):
        _check_layout(layout, 2)
        super().__init__(_window(pool_size, 2), strides, padding, ceil_mode, False, "max",
                         layout, **kwargs)


class MaxPool3D(_Pooling):
    """Max pooling over three spatial axes; ``strides=None`` means ``pool_size``."""

    def __init__(self, pool_size=(2, 2, 2), strides=None, padding=0, ceil_mode=False,
                 layout="NCDHW", **kwargs):
        _check_layout(layout, 3)
        super().__init__(_window(pool_size, 3), strides, padding, ceil_mode, False, "max",
                         layout, **kwargs)


class AvgPool1D(_Pooling):
    """Average pooling over one spatial axis; padding counts unless count_include_pad=False."""

    def __init__(self, pool_size=2, strides=None, padding=0, layout="NCW", ceil_mode=False,
                 count_include_pad=True, **kwargs):
        _check_layout(layout, 1)
        super().__init__(_window(pool_size, 1), strides, padding, ceil_mode, False, "avg",
                         layout, count_include_pad, **kwargs)


class AvgPool2D(_Pooling):
    """Average pooling over two spatial axes; padding counts unless count_include_pad=False."""

    def __init__(self, pool_size=(2, 2), strides=None, padding=0, ceil_mode=False,
                 layout="NCHW", count_include_pad=True, **kwargs):
        _check_layout(layout, 2)
        super().__init__(_window(pool_size, 2), strides, padding, ceil_mode, False, "avg",
                         layout, count_include_pad, **kwargs)


class AvgPool3D(_Pooling):
    """Average pooling over three spatial axes; padding counts unless count_include_pad=False."""

    def __init__(self, pool_size=(2, 2, 2), strides=None, padding=0, ceil_mode=False,
                 layout="NCDHW", count_include_pad=True, **kwargs):
        _check_layout(layout, 3)
        super().__init__(_window(pool_size, 3), strides, padding, ceil_mode, False, "avg",
                         layout, count_include_pad, **kwargs)


class _GlobalPooling(_Pooling):
    """Pooling over the whole spatial extent; keeps the spatial axes with size 1."""

    def __init__(self, nd, pool_type, layout, **kwargs):
        _check_layout(layout, nd)
        super().__init__((1,) * nd, None, 0, True, True, pool_type, layout, **kwargs)


class GlobalMaxPool1D(_GlobalPooling):
    """The maximum over the one spatial axis: ``(N, C, W)`` -> ``(N, C, 1)``."""

    def __init__(self, layout="NCW", **kwargs):
        super().__init__(1, "max", layout, **kwargs)


class GlobalMaxPool2D(_GlobalPooling):
    """The maximum over both spatial axes: ``(N, C, H, W)`` -> ``(N, C, 1, 1)``."""

    def __init__(self, layout="NCHW", **kwargs):
        super().__init__(2, "max", layout, **kwargs)


class GlobalMaxPool3D(_GlobalPooling):
    """The maximum over the three spatial axes, which stay as size-1 axes."""

    def __init__(self, layout="NCDHW", **kwargs):
        super().__init__(3, "max", layout, **kwargs)


class GlobalAvgPool1D(_GlobalPooling):
    """The mean over the one spatial axis: ``(N, C, W)`` -> ``(N, C, 1)``."""

    def __init__(self, layout="NCW", **kwargs):
        super().__init__(1, "avg", layout, **kwargs)


class GlobalAvgPool2D(_GlobalPooling):
    """The mean over both spatial axes: ``(N, C, H, W)`` -> ``(N, C, 1, 1)``."""

    def __init__(self, layout="NCHW", **kwargs):
        super().__init__(2, "avg", layout, **kwargs)


class GlobalAvgPool3D(_GlobalPooling):
    """The mean over the three spatial axes, which stay as size-1 axes."""

    def __init__(self, layout="NCDHW", **kwargs):
        super().__init__(3, "avg", layout, **kwargs)


class ReflectionPad2D(HybridBlock):
    """Pads ``(N, C, H, W)`` by mirroring it at its edges (the edge itself not repeated).

    ``padding`` is an int (the same on the four sides of H and W) or MXNet's flat 8-tuple
    ``(before, after)`` per axis. Differs from MXNet 1.9.1: works on np arrays.
    """

    def __init__(self, padding=0, **kwargs):
        super().__init__(**kwargs)
        if isinstance(padding, numbers.Number):
            padding = (0, 0, 0, 0, padding, padding, padding, padding)
        if len(padding) != 8:
            raise AssertionError(f"ReflectionPad2D: padding must be an int or 8 ints, "
                                 f"got {padding!r}")
        self._padding = tuple(padding)

    def hybrid_forward(self, F, x):
        """``x`` with its H and W axes extended by reflection."""
        pairs = tuple(zip(self._padding[0::2], self._padding[1::2]))
        return F.np.pad(x, pairs, mode="reflect")

    def _symbol_forward(self, F, x):
        """On Symbols: MXNet's Pad node."""
        return F.pad(x, mode="reflect", pad_width=self._padding)
