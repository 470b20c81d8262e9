"""GridGenerator, BilinearSampler, SpatialTransformer and SVMOutput against values printed by
MXNet 1.9.1 (tools/mxref, the same calls), plus a finite-difference check of the sampler."""
from __future__ import annotations

import numpy as onp

from mxnp import autograd
from mxnp import ndarray as nd
from mxnp.testing import check_grads

GRID = [[[[-1, 0, 1.2], [0.5, -0.3, 1]], [[-1, 0, 0.4], [1, 0.2, -1.5]]]]


def test_grid_generator():
    affine = nd.GridGenerator(nd.array([[1, 0, 0, 0, 1, 0]]), transform_type="affine",
                              target_shape=(2, 3))
    onp.testing.assert_allclose(affine.asnumpy(), [[[[-1, 0, 1], [-1, 0, 1]],
                                                    [[-1, -1, -1], [1, 1, 1]]]])
    warp = nd.GridGenerator(nd.array([[[[1, 0], [0, 1]], [[0, 1], [0, 0]]]]),
                            transform_type="warp")
    onp.testing.assert_allclose(warp.asnumpy(), [[[[1, 1], [-1, 3]], [[-1, 1], [1, 1]]]])


def test_bilinear_sampler_forward_and_backward():
    img = nd.arange(12).reshape((1, 1, 3, 4))
    grid = nd.array(GRID)
    img.attach_grad()
    grid.attach_grad()
    with autograd.record():
        out = nd.BilinearSampler(img, grid)
    out.backward(nd.arange(6).reshape((1, 1, 2, 3)))
    onp.testing.assert_allclose(out.asnumpy(), [[[[0, 5.5, 6.02], [10.25, 5.85, 1.5]]]],
                                rtol=1e-5)
    onp.testing.assert_allclose(img.grad.asnumpy(), [[[[0, 0, 0, 2.5], [0, 3.54, 0.66, 0.84],
                                                       [0, 0.76, 2.29, 1.31]]]], atol=1e-5)
    onp.testing.assert_allclose(grid.grad.asnumpy(), [[[[0, 1.5, -25.8], [4.5, 6, -11.25]],
                                                       [[0, 4, 5.6], [-30.75, 16, 15]]]],
                                atol=1e-4)


def test_bilinear_sampler_gradient_off_the_pixel_grid():
    rng = onp.random.default_rng(2)
    data = nd.array(rng.standard_normal((1, 2, 3, 4)), dtype="float64")
    grid = nd.array(rng.uniform(-0.9, 0.9, (1, 2, 2, 2)), dtype="float64")
    check_grads(lambda d, g: nd.BilinearSampler(d, g), data, grid, order=1)


def test_spatial_transformer():
    img = nd.arange(12).reshape((1, 1, 3, 4))
    out = nd.SpatialTransformer(img, nd.array([[0.5, 0, 0, 0, 0.5, 0]]), target_shape=(2, 2),
                                transform_type="affine", sampler_type="bilinear")
    onp.testing.assert_allclose(out.asnumpy(), [[[[2.75, 4.25], [6.75, 8.25]]]])


def test_svm_output_gradients():
    d = nd.array([[0.5, -0.2, 1.5], [2, 0.1, -1]])
    d.attach_grad()
    with autograd.record():
        out = nd.SVMOutput(d, nd.array([0, 2]), margin=1, regularization_coefficient=1)
    out.backward()
    onp.testing.assert_allclose(out.asnumpy(), d.asnumpy())
    onp.testing.assert_allclose(d.grad.asnumpy(), [[-1, 1.6, 5], [6, 2.2, -4]], rtol=1e-6)
    with autograd.record():
        out = nd.SVMOutput(d, nd.array([0, 2]), regularization_coefficient=0.5, use_linear=True)
    out.backward()
    onp.testing.assert_allclose(d.grad.asnumpy(), [[-0.5, 0.5, 0.5], [0.5, 0.5, -0.5]])


def test_correlation_matches_mxnet():  # MXNet 1.9.1 on the same RandomState(0) inputs
    rng = onp.random.RandomState(0)
    a, b = nd.array(rng.randn(1, 2, 5, 5)), nd.array(rng.randn(1, 2, 5, 5))
    out = nd.Correlation(a, b, kernel_size=1, max_displacement=1, pad_size=1)
    assert out.shape == (1, 9, 5, 5)
    onp.testing.assert_allclose(out.asnumpy()[0, :, 2, 2],
                                [0.56687886, 0.39504784, -1.1649457, 0.57185364, -0.41758648,
                                 -1.3006088, 0.11460042, 0.30131018, 0.24190137], rtol=1e-5)
    out = nd.Correlation(a, b, kernel_size=3, max_displacement=2, stride1=2, stride2=2,
                         pad_size=2, is_multiply=False)
    assert out.shape == (1, 9, 2, 2)
    onp.testing.assert_allclose(out.asnumpy()[0, :, 1, 1],
                                [1.0596057, 1.2437043, 0.8873792, 0.9772568, 1.0921704,
                                 0.75612175, 0.87422794, 0.86655056, 0.8018754], rtol=1e-5)
    assert nd.Correlation(a, b, max_displacement=1).shape == (1, 9, 3, 3)


def test_correlation_gradient():
    rng = onp.random.default_rng(5)
    a = nd.array(rng.standard_normal((1, 2, 4, 4)), dtype="float64")
    b = nd.array(rng.standard_normal((1, 2, 4, 4)), dtype="float64")
    check_grads(lambda x, y: nd.Correlation(x, y, kernel_size=3, max_displacement=1,
                                            pad_size=1), a, b, order=1)
