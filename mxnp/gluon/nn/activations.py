"""gluon.nn activation layers: thin HybridBlocks over npx.activation and npx.leaky_relu."""
from __future__ import annotations

from ... import initializer
from ..block import HybridBlock

__all__ = ["Activation", "LeakyReLU", "PReLU", "ELU", "SELU", "Swish", "GELU"]


class Activation(HybridBlock):
    """relu, sigmoid, tanh, softrelu or softsign, by name (npx.activation)."""

    def __init__(self, activation, **kwargs):
        # set before Block.__init__: the name hint (relu0, tanh1 ...) is read from _alias()
        self._act_type = activation
        super().__init__(**kwargs)

    def _alias(self):
        return self._act_type

    def hybrid_forward(self, F, x):
        """Apply the activation; an unknown name fails here, at call time (as in MXNet)."""
        return F.npx.activation(x, act_type=self._act_type, name="fwd")

    def __repr__(self):
        return f"{type(self).__name__}({self._act_type})"


class LeakyReLU(HybridBlock):
    """x where x > 0, else alpha * x."""

    def __init__(self, alpha, **kwargs):
        if alpha < 0:  # MXNet asserts: keep its AssertionError, also under python -O
            raise AssertionError("Slope coefficient for LeakyReLU must be no less than 0.")
        super().__init__(**kwargs)
        self._alpha = alpha

    def hybrid_forward(self, F, x):
        """Leaky rectifier with slope ``alpha`` on the negative side."""
        return F.npx.leaky_relu(x, act_type="leaky", slope=self._alpha, name="fwd")

    def __repr__(self):
        return f"{type(self).__name__}({self._alpha})"


class PReLU(HybridBlock):
    """Leaky ReLU with a learned slope ``alpha`` of shape (in_channels,), along axis 1."""

    def __init__(self, alpha_initializer=initializer.Constant(0.25), in_channels=1, **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            self.alpha = self.params.get("alpha", shape=(in_channels,), init=alpha_initializer)

    def hybrid_forward(self, F, x, alpha):
        """Leaky rectifier whose negative-side slope is the parameter ``alpha``."""
        return F.npx.leaky_relu(x, gamma=alpha, act_type="prelu", name="fwd")


class ELU(HybridBlock):
    """x where x > 0, else alpha * (exp(x) - 1)."""

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self._alpha = alpha

    def hybrid_forward(self, F, x):
        """Exponential linear unit."""
        return F.npx.leaky_relu(x, act_type="elu", slope=self._alpha)


class SELU(HybridBlock):
    """The self-normalising ELU, with its fixed alpha and lambda."""

    def hybrid_forward(self, F, x):
        """Scaled exponential linear unit."""
        return F.npx.leaky_relu(x, act_type="selu", name="fwd")


class GELU(HybridBlock):
    """0.5 x (1 + erf(x / sqrt(2))): the exact (erf) form."""

    def hybrid_forward(self, F, x):
        """Gaussian error linear unit."""
        return F.npx.leaky_relu(x, act_type="gelu", name="fwd")


class Swish(HybridBlock):
    """x * sigmoid(beta * x)."""

    def __init__(self, beta=1.0, **kwargs):
        super().__init__(**kwargs)
        self._beta = beta

    def hybrid_forward(self, F, x):
        """Swish activation."""
        return x * F.npx.sigmoid(x * self._beta)

    def _symbol_forward(self, F, x):
        """On Symbols: MXNet's graph (its sigmoid node is ``fwd``)."""
        return x * F.sigmoid(x * self._beta, name="fwd")
