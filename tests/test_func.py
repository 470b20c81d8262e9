"""mxnp.func: grad, value_and_grad, vjp, jvp, jacobian, hessian; nesting with each other and
with autograd.record(); third derivatives."""
from __future__ import annotations

import numpy as onp
import pytest

from mxnp import autograd, func, np
from mxnp.base import MXNetError

X = onp.array([0.3, -0.5, 1.2])


def x64():
    return np.array(X, dtype="float64")


def close(got, want, rtol=1e-10, atol=1e-12):
    onp.testing.assert_allclose(onp.asarray(got.asnumpy() if hasattr(got, "asnumpy") else got),
                                want, rtol=rtol, atol=atol)


def test_grad_of_a_scalar_function():
    close(func.grad(lambda x: np.tanh(x).sum())(x64()), 1 - onp.tanh(X) ** 2)


def test_grad_with_several_argnums_and_value_and_grad():
    value, (ga, gb) = func.value_and_grad(lambda a, b: (a * b).sum(), argnums=(0, 1))(
        x64(), np.ones(3, dtype="float64"))
    close(value, X.sum())
    close(ga, onp.ones(3))
    close(gb, X)


def test_grad_of_an_unused_argument_is_zero():
    g = func.grad(lambda a, b: (a * a).sum(), argnums=1)(x64(), np.ones(3, dtype="float64"))
    close(g, onp.zeros(3))


def test_grad_argnums_out_of_range_raises():
    with pytest.raises(ValueError, match="argnums"):
        func.grad(lambda a: a.sum(), argnums=2)(x64())


def test_vjp_with_an_explicit_cotangent_and_a_wrong_shape():
    out, vjp_fn = func.vjp(lambda x: x * x, x64())
    close(out, X * X)
    (g,) = vjp_fn(np.array([1., 0., 2.], dtype="float64"))
    close(g, 2 * X * [1., 0., 2.])
    with pytest.raises(MXNetError, match="cotangent of shape"):
        vjp_fn(np.ones(2, dtype="float64"))


def test_vjp_can_be_called_again():
    _, vjp_fn = func.vjp(lambda x: np.sin(x), x64())
    close(vjp_fn(np.ones(3, dtype="float64"))[0], onp.cos(X))
    close(vjp_fn(np.ones(3, dtype="float64") * 2)[0], 2 * onp.cos(X))


def test_jvp_is_the_jacobian_times_the_tangent():
    t = onp.array([1., -2., 0.5])
    out, tangent_out = func.jvp(lambda x: np.sin(x) * x, (x64(),), (np.array(t),))
    close(out, onp.sin(X) * X)
    close(tangent_out, (onp.cos(X) * X + onp.sin(X)) * t)


def test_jacobian_of_a_vector_function():
    jac = func.jacobian(lambda x: np.tanh(x) * x.sum())(x64())
    want = onp.diag((1 - onp.tanh(X) ** 2) * X.sum()) + onp.tanh(X)[:, None]
    assert jac.shape == (3, 3)
    close(jac, want)


def test_hessian_of_a_cubic_and_of_a_quadratic_form():
    close(func.hessian(lambda x: (x ** 3).sum())(x64()), onp.diag(6 * X))
    a = onp.array([[2., 1., 0.], [1., 3., 1.], [0., 1., 4.]])
    close(func.hessian(lambda x: np.dot(x, np.dot(np.array(a), x)))(x64()), 2 * a)


def test_third_derivative_of_tanh_against_the_closed_form():
    t = onp.tanh(X)
    d3 = func.grad(lambda x: func.grad(lambda y: func.grad(lambda z: np.tanh(z).sum())(y)
                                       .sum())(x).sum())(x64())
    close(d3, -2 * (1 - t ** 2) ** 2 + 4 * t ** 2 * (1 - t ** 2))


def test_third_derivative_of_x_cubed_with_autograd_grad():
    x = x64()
    x.attach_grad()
    with autograd.record():
        y = (x ** 3).sum()
        (g1,) = autograd.grad(y, [x], create_graph=True)
        (g2,) = autograd.grad(g1.sum(), [x], create_graph=True)
        s2 = g2.sum()
    (g3,) = autograd.grad(s2, [x])
    close(g1, 3 * X ** 2)
    close(g2, 6 * X)
    close(g3, onp.full(3, 6.))


def _mlp_loss(w1, w2, w3, x):
    h = np.tanh(np.dot(x, w1))
    h = np.tanh(np.dot(h, w2))
    return (np.dot(h, w3) ** 2).sum()


def test_third_derivative_of_a_small_mlp_loss_against_finite_differences():
    rng = onp.random.default_rng(0)
    ws = [rng.normal(size=s) * 0.5 for s in [(3, 4), (4, 4), (4, 2)]]
    vs = [rng.normal(size=w.shape) for w in ws]
    data = np.array(rng.normal(size=(5, 3)))

    def along(t):  # the loss on the line w + t v: a scalar function of one variable
        return _mlp_loss(*[np.array(w) + t * np.array(v) for w, v in zip(ws, vs)], data)

    d1 = func.grad(along)
    d2 = func.grad(d1)
    d3 = func.grad(d2)
    t0, eps = np.array(0.1, dtype="float64"), 1e-4
    numeric = (d2(t0 + eps).item() - d2(t0 - eps).item()) / (2 * eps)
    assert abs(d3(t0).item() - numeric) <= 1e-5 * max(1.0, abs(numeric))


def test_transforms_nest_inside_record_and_reach_attached_variables():
    x = x64()
    x.attach_grad()
    with autograd.record():
        g = func.grad(lambda y: (y ** 3).sum())(x)  # 3 x^2, recorded
        z = g.sum()
    z.backward()
    close(x.grad, 6 * X)


def test_jacobian_of_grad_equals_hessian_and_grad_of_jvp_nests():
    f = lambda x: (np.sin(x) * x).sum()  # noqa: E731
    close(func.jacobian(func.grad(f))(x64()), func.hessian(f)(x64()).asnumpy())
    t = np.ones(3, dtype="float64")
    g = func.grad(lambda x: func.jvp(lambda y: (y ** 3).sum(), (x,), (t,))[1])(x64())
    close(g, 6 * X)
