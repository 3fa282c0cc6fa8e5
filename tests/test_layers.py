"""cnnlab.layers: every forward/backward pair against numerical gradients and torch autograd."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from cnnlab import conv2d
from cnnlab import layers as L

RNG = np.random.default_rng(0)


def _t(a):
    return torch.tensor(a, dtype=torch.float64, requires_grad=True)


def _num(f, x, dout):
    return L.numerical_gradient(f, x, dout)


# ------------------------------------------------------------------ conv


@pytest.mark.parametrize(
    "shape,kernel,stride,padding",
    [
        ((2, 3, 7, 7), 3, 1, 0),
        ((2, 3, 8, 8), 3, 2, 1),
        ((1, 2, 9, 6), 4, 3, 2),
        ((2, 1, 5, 5), 5, 1, 0),
    ],
)
def test_conv_matches_torch_forward_and_backward(shape, kernel, stride, padding):
    x = RNG.normal(size=shape)
    w = RNG.normal(size=(4, shape[1], kernel, kernel))
    b = RNG.normal(size=4)
    out, cache = L.conv_forward(x, w, b, stride, padding)
    xt, wt, bt = _t(x), _t(w), _t(b)
    ref = F.conv2d(xt, wt, bt, stride=stride, padding=padding)
    np.testing.assert_allclose(out, ref.detach().numpy(), atol=1e-10)
    dout = RNG.normal(size=out.shape)
    ref.backward(torch.tensor(dout))
    dx, dw, db = L.conv_backward(dout, cache)
    np.testing.assert_allclose(dx, xt.grad.numpy(), atol=1e-10)
    np.testing.assert_allclose(dw, wt.grad.numpy(), atol=1e-10)
    np.testing.assert_allclose(db, bt.grad.numpy(), atol=1e-10)
    # the first layer's shortcut (no input gradient) gives the same dw and db
    none, dw2, db2 = L.conv_backward(dout, cache, input_grad=False)
    assert none is None
    np.testing.assert_allclose(dw2, dw, atol=1e-10)
    np.testing.assert_allclose(db2, db, atol=1e-10)


def test_conv_numerical_gradients():
    x = RNG.normal(size=(2, 2, 6, 6))
    w = RNG.normal(size=(3, 2, 3, 3))
    b = RNG.normal(size=3)
    out, cache = L.conv_forward(x, w, b, stride=2, padding=1)
    dout = RNG.normal(size=out.shape)
    dx, dw, db = L.conv_backward(dout, cache)
    assert L.rel_error(dx, _num(lambda v: L.conv_forward(v, w, b, 2, 1)[0], x, dout)) < 1e-7
    assert L.rel_error(dw, _num(lambda v: L.conv_forward(x, v, b, 2, 1)[0], w, dout)) < 1e-7
    assert L.rel_error(db, _num(lambda v: L.conv_forward(x, w, v, 2, 1)[0], b, dout)) < 1e-7


def test_conv_keeps_float32():
    x = RNG.normal(size=(2, 1, 8, 8)).astype(np.float32)
    w = RNG.normal(size=(3, 1, 3, 3)).astype(np.float32)
    out, cache = L.conv_forward(x, w, np.zeros(3, np.float32))
    assert out.dtype == np.float32
    _, dw, db = L.conv_backward(np.ones_like(out), cache, input_grad=False)
    assert dw.dtype == np.float32 and db.dtype == np.float32


# ------------------------------------------------------------------ pooling


@pytest.mark.parametrize("kind", ["max", "avg"])
@pytest.mark.parametrize(
    "shape,k,s,p", [((2, 3, 8, 8), 2, None, 0), ((1, 2, 7, 7), 3, 2, 1), ((2, 1, 9, 6), 2, 3, 0)]
)
def test_pool_matches_torch(kind, shape, k, s, p):
    x = RNG.permutation(np.prod(shape)).reshape(shape).astype(np.float64) / 7  # no ties
    fwd, bwd = (
        (L.max_pool_forward, L.max_pool_backward)
        if kind == "max"
        else (L.avg_pool_forward, L.avg_pool_backward)
    )
    out, cache = fwd(x, k, s, p)
    xt = _t(x)
    tf = F.max_pool2d if kind == "max" else F.avg_pool2d
    ref = tf(xt, k, s, p)
    np.testing.assert_allclose(out, ref.detach().numpy(), atol=1e-12)
    dout = RNG.normal(size=out.shape)
    ref.backward(torch.tensor(dout))
    dx = bwd(dout, cache)
    np.testing.assert_allclose(dx, xt.grad.numpy(), atol=1e-12)
    assert L.rel_error(dx, _num(lambda v: fwd(v, k, s, p)[0], x, dout)) < 1e-7


def test_global_avg_pool():
    x = RNG.normal(size=(2, 3, 5, 4))
    out, cache = L.global_avg_pool_forward(x)
    xt = _t(x)
    ref = F.adaptive_avg_pool2d(xt, 1).flatten(1)
    np.testing.assert_allclose(out, ref.detach().numpy(), atol=1e-12)
    dout = RNG.normal(size=out.shape)
    ref.backward(torch.tensor(dout))
    dx = L.global_avg_pool_backward(dout, cache)
    np.testing.assert_allclose(dx, xt.grad.numpy(), atol=1e-12)
    assert L.rel_error(dx, _num(lambda v: L.global_avg_pool_forward(v)[0], x, dout)) < 1e-7
    # any spatial size gives (N, C)
    assert L.global_avg_pool_forward(np.ones((2, 3, 9, 11)))[0].shape == (2, 3)
    with pytest.raises(ValueError, match="N, C, H, W"):
        L.global_avg_pool_forward(np.ones((3, 4, 4)))


# ------------------------------------------------------------------ activations, flatten, affine


@pytest.mark.parametrize(
    "fwd,bwd,tf",
    [(L.relu_forward, L.relu_backward, torch.relu), (L.tanh_forward, L.tanh_backward, torch.tanh)],
)
def test_activations(fwd, bwd, tf):
    x = RNG.normal(size=(3, 4, 2, 2))
    x[np.abs(x) < 1e-3] = 0.5  # keep ReLU's kink away from the finite differences
    out, cache = fwd(x)
    xt = _t(x)
    ref = tf(xt)
    np.testing.assert_allclose(out, ref.detach().numpy(), atol=1e-12)
    dout = RNG.normal(size=out.shape)
    ref.backward(torch.tensor(dout))
    dx = bwd(dout, cache)
    np.testing.assert_allclose(dx, xt.grad.numpy(), atol=1e-12)
    assert L.rel_error(dx, _num(lambda v: fwd(v)[0], x, dout)) < 1e-7


def test_flatten_round_trip_and_order():
    x = RNG.normal(size=(2, 3, 4, 5))
    out, cache = L.flatten_forward(x)
    np.testing.assert_array_equal(out, torch.flatten(torch.tensor(x), 1).numpy())
    np.testing.assert_array_equal(L.flatten_backward(out, cache), x)
    with pytest.raises(ValueError, match="batch"):
        L.flatten_forward(np.ones(5))


def test_affine_matches_torch_and_numerics():
    x, w, b = RNG.normal(size=(5, 7)), RNG.normal(size=(3, 7)), RNG.normal(size=3)
    out, cache = L.affine_forward(x, w, b)
    xt, wt, bt = _t(x), _t(w), _t(b)
    ref = F.linear(xt, wt, bt)  # torch.nn.Linear's layout: w is (out, in)
    np.testing.assert_allclose(out, ref.detach().numpy(), atol=1e-12)
    dout = RNG.normal(size=out.shape)
    ref.backward(torch.tensor(dout))
    dx, dw, db = L.affine_backward(dout, cache)
    for mine, theirs in ((dx, xt), (dw, wt), (db, bt)):
        np.testing.assert_allclose(mine, theirs.grad.numpy(), atol=1e-12)
    assert L.rel_error(dw, _num(lambda v: L.affine_forward(x, v, b)[0], w, dout)) < 1e-7
    assert L.rel_error(dx, _num(lambda v: L.affine_forward(v, w, b)[0], x, dout)) < 1e-7


def test_affine_refuses_images_and_wrong_shapes():
    with pytest.raises(ValueError, match="flatten"):
        L.affine_forward(np.ones((2, 1, 4, 4)), np.ones((3, 16)), np.ones(3))
    with pytest.raises(ValueError, match="D = x.shape"):
        L.affine_forward(np.ones((2, 5)), np.ones((3, 4)), np.ones(3))
    with pytest.raises(ValueError, match="b"):
        L.affine_forward(np.ones((2, 4)), np.ones((3, 4)), np.ones(4))


# ------------------------------------------------------------------ loss


def test_softmax_cross_entropy_matches_torch():
    rng = np.random.default_rng(11)  # its own generator: the result must not depend on test order
    scores, y = rng.normal(size=(6, 10)) * 3, rng.integers(0, 10, size=6)
    loss, d = L.softmax_cross_entropy(scores, y)
    st = _t(scores)
    ref = F.cross_entropy(st, torch.tensor(y))
    ref.backward()
    assert loss == pytest.approx(ref.item(), abs=1e-12)
    np.testing.assert_allclose(d, st.grad.numpy(), atol=1e-12)
    num = _num(lambda v: L.softmax_cross_entropy(v, y)[0], scores, None)
    assert L.rel_error(d, num) < 1e-5  # some entries are ~1e-5: finite differences lose digits
    np.testing.assert_allclose(L.softmax(scores).sum(axis=1), 1.0)


def test_softmax_cross_entropy_is_stable_and_checks_labels():
    loss, d = L.softmax_cross_entropy(np.array([[1000.0, 0.0], [0.0, -1000.0]]), np.array([0, 1]))
    assert np.isfinite(loss) and np.isfinite(d).all()
    assert loss == pytest.approx(500.0)
    loss32, d32 = L.softmax_cross_entropy(np.ones((2, 3), np.float32), np.array([0, 2]))
    assert d32.dtype == np.float32 and loss32 == pytest.approx(np.log(3), rel=1e-6)
    with pytest.raises(ValueError, match="labels must be in 0..2"):
        L.softmax_cross_entropy(np.ones((2, 3)), np.array([0, 3]))
    with pytest.raises(ValueError, match="scores"):
        L.softmax_cross_entropy(np.ones((2, 3)), np.array([0]))


# ------------------------------------------------------------------ helpers


def test_numerical_gradient_and_rel_error():
    x = np.array([1.0, -2.0, 3.0])
    np.testing.assert_allclose(L.numerical_gradient(lambda v: (v**2).sum(), x), 2 * x, atol=1e-6)
    np.testing.assert_array_equal(x, [1.0, -2.0, 3.0])  # restored
    with pytest.raises(ValueError, match="float64"):
        L.numerical_gradient(lambda v: v, x.astype(np.float32))
    assert L.rel_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    with pytest.raises(ValueError, match="shapes differ"):
        L.rel_error([1.0], [1.0, 2.0])


@pytest.mark.parametrize(
    "n,k,c_in,stride,padding", [(6, 3, 1, 1, 0), (7, 3, 2, 2, 1), (5, 5, 1, 1, 0)]
)
def test_conv_as_matrix_is_the_same_map(n, k, c_in, stride, padding):
    w = RNG.normal(size=(3, c_in, k, k))
    m = L.conv_as_matrix(w, n, stride, padding)
    x = RNG.normal(size=(2, c_in, n, n))
    ref = conv2d(x, w, stride=stride, padding=padding)
    assert m.shape == (ref[0].size, c_in * n * n)
    np.testing.assert_allclose(x.reshape(2, -1) @ m.T, ref.reshape(2, -1), atol=1e-10)
    if stride == 1 and padding == 0:
        # sparsity: each output row holds exactly one copy of its filter's weights
        assert np.count_nonzero(m) == ref[0].size * c_in * k * k
        assert len(np.unique(m[m != 0])) == w.size


def test_conv_as_matrix_errors():
    with pytest.raises(ValueError, match="larger than the padded input"):
        L.conv_as_matrix(np.ones((1, 1, 5, 5)), 3)
    with pytest.raises(ValueError, match="C_out, C_in, K, K"):
        L.conv_as_matrix(np.ones((3, 3)), 6)
