"""The batched engine (experiments/engine.py): a batched run equals separate single-seed runs,
a seed fully determines a trial, and the sampler and initialisers follow
../shared/protocols.md. All fast (seconds)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from experiments import engine
from experiments.engine import (
    ACTIVATIONS,
    LOSSES,
    BatchedMLP,
    accuracy,
    batch_indices,
    one_hot,
    stack,
    train,
)
from experiments.rng import numpy_rng

SIZES = (3, 8, 8, 2)
RTOL, ATOL = 1e-4, 1e-5  # float32 after tens of Adam steps; batched matmuls round differently


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    """Tiny tensors: one thread is fastest, and immune to a busy machine's oversubscription."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def dataset(seed: int, n: int, d: int = 3):
    rng = numpy_rng(seed, "test-data")
    x = rng.standard_normal((n, d)).astype(np.float32)
    y = (x[:, 0] + 0.5 * x[:, 1] > 0).astype(int)
    return x, y


def run(
    seeds,
    row_counts,
    *,
    batch_size,
    steps=25,
    activation="sigmoid",
    loss="cross_entropy",
    scheme="xavier",
    std=0.01,
    sizes=SIZES,
    every=5,
):
    """Train one batched model over ``seeds``; returns its weights, per-model final loss on all
    real rows, and the accuracy curve recorded every ``every`` steps."""
    sets = [dataset(s, n, sizes[0]) for s, n in zip(seeds, row_counts)]
    x, rows = stack([a for a, _ in sets])
    y, _ = stack([b for _, b in sets], torch.long)
    model = BatchedMLP(sizes, len(seeds), activation).initialise(seeds, scheme, std)
    curve = []
    train(
        model,
        x,
        one_hot(y),
        rows=rows,
        steps=steps,
        seeds=seeds,
        batch_size=batch_size,
        loss=loss,
        every=every,
        record=lambda step: curve.append(accuracy(model, x, y, rows)),
    )
    with torch.no_grad():
        out = model(x)
        names = [loss] * len(seeds) if isinstance(loss, str) else list(loss)
        final = np.array(
            [
                (LOSSES[names[m]](out[m : m + 1, :n], one_hot(y)[m : m + 1, :n])).mean().item()
                for m, n in enumerate(row_counts)
            ]
        )
    weights = [p.detach().clone() for p in model.parameters()]
    return weights, final, np.array(curve).T


def assert_batched_equals_single(seeds, row_counts, **kw):
    listed = {k: v for k, v in kw.items() if isinstance(v, list)}
    w_all, loss_all, acc_all = run(seeds, row_counts, **kw)
    for m, (seed, n) in enumerate(zip(seeds, row_counts)):
        own = {**kw, **{k: v[m] for k, v in listed.items()}}
        w_one, loss_one, acc_one = run([seed], [n], **own)
        for big, small in zip(w_all, w_one):
            torch.testing.assert_close(big[m : m + 1], small, rtol=RTOL, atol=ATOL)
        np.testing.assert_allclose(loss_all[m], loss_one[0], rtol=RTOL, atol=ATOL)
        np.testing.assert_allclose(acc_all[m], acc_one[0], atol=1e-12)


# --- batched == one seed at a time -------------------------------------------------------------


def test_minibatch_batched_equals_single_runs():
    assert_batched_equals_single([11, 12, 13, 14], [40] * 4, batch_size=16)


def test_full_batch_batched_equals_single_runs():
    assert_batched_equals_single([21, 22, 23], [30] * 3, batch_size=None)


def test_padded_rows_minibatch_equals_single_runs():
    # 10 rows < batch (all rows every step, padded), 16 = batch, 50 rows > batch (drawn)
    assert_batched_equals_single([31, 32, 33, 34], [10, 16, 50, 37], batch_size=16)


def test_padded_rows_full_batch_equals_single_runs():
    assert_batched_equals_single([41, 42, 43], [12, 30, 21], batch_size=None)


def test_mixed_losses_activations_and_inits_equal_single_runs():
    losses = ["cross_entropy", "mse", "mae", "fourth", "hinge", "constant"]
    activations = ["sigmoid", "relu", "tanh", "sin", "identity", "square"]
    schemes = ["xavier", "xavier_weights", "normal", "xavier", "normal", "ones"]
    stds = [0.01, 0.01, 1.0, 0.01, 0.01, 0.01]
    assert_batched_equals_single(
        [51, 52, 53, 54, 55, 56],
        [40, 25, 40, 12, 40, 33],
        batch_size=16,
        loss=losses,
        activation=activations,
        scheme=schemes,
        std=stds,
    )


def test_mixed_settings_full_batch_equal_single_runs():
    assert_batched_equals_single(
        [61, 62, 63, 64],
        [20, 20, 14, 20],
        batch_size=None,
        loss=["mse", "cross_entropy", "hinge", "mse"],
        activation=["sign", "sigmoid", "relu", "tanh"],
        scheme=["zeros", "xavier", "normal", "xavier"],
        std=1.0,
    )


def test_single_hidden_unit_output_width_one():
    """Q42's shapes (1 input, 1 output): degenerate matmul dimensions."""
    x = torch.linspace(-1, 1, 20)[None, :, None].expand(3, 20, 1).contiguous()
    t = torch.sin(3 * x)
    finals = []
    for seeds in ([1, 2, 3], [1], [2], [3]):
        idx = [[1, 2, 3].index(s) for s in seeds]
        model = BatchedMLP((1, 4, 1), len(seeds)).initialise(seeds)
        train(model, x[idx], t[idx], steps=40, seeds=seeds, batch_size=None, loss="mse")
        finals.append([p.detach() for p in model.parameters()])
    for m in range(3):
        for big, small in zip(finals[0], finals[m + 1]):
            torch.testing.assert_close(big[m : m + 1], small, rtol=RTOL, atol=ATOL)


def test_make_adam_matches_reference_adam():
    torch.manual_seed(0)
    start = [torch.randn(4, 5, 6), torch.randn(4, 1, 6)]
    grads = [[torch.randn_like(p) for p in start] for _ in range(20)]
    results = []
    for make in (engine.make_adam, lambda ps, lr: torch.optim.Adam(ps, lr=lr)):
        params = [torch.nn.Parameter(p.clone()) for p in start]
        opt = make(params, 0.003)
        for g in grads:
            for p, gp in zip(params, g):
                p.grad = gp.clone()
            opt.step()
        results.append(params)
    for a, b in zip(*results):
        torch.testing.assert_close(a, b, rtol=1e-5, atol=1e-6)


# --- a seed determines a trial ---------------------------------------------------------------


def test_same_seed_identical_different_seed_different():
    a, loss_a, acc_a = run([7, 7, 8], [40, 40, 40], batch_size=16)
    b, loss_b, acc_b = run([7, 7, 8], [40, 40, 40], batch_size=16)
    for p, q in zip(a, b):
        assert torch.equal(p, q)  # rerun: bit for bit
        assert torch.equal(p[0], p[1])  # same seed in two slots: bit for bit
        assert not torch.allclose(p[0], p[2])  # different seed
    np.testing.assert_array_equal(loss_a, loss_b)
    assert loss_a[0] == loss_a[1] != loss_a[2]


def test_seed_fixes_init_and_batches_independently_of_position():
    one = BatchedMLP(SIZES, 1).initialise([5])
    three = BatchedMLP(SIZES, 3).initialise([9, 5, 6])
    for p, q in zip(one.parameters(), three.parameters()):
        assert torch.equal(p[0], q[1])
    i1, _ = batch_indices([5], [50], 10, 16)
    i3, _ = batch_indices([9, 5, 6], [50, 50, 50], 10, 16)
    assert torch.equal(i1[:, 0], i3[:, 1])
    assert not torch.equal(i3[:, 0], i3[:, 1])
    # the first steps do not depend on how many steps are drawn
    assert torch.equal(batch_indices([5], [50], 4, 16)[0], i1[:4])


# --- the mini-batch sampler ------------------------------------------------------------------


def test_batches_drawn_without_replacement():
    idx, mask = batch_indices([1, 2], [100, 64], steps=200, batch_size=64)
    assert idx.shape == (200, 2, 64)
    assert torch.equal(mask, torch.ones(2, 64))
    for step in range(200):
        drawn = idx[step, 0].tolist()
        assert len(set(drawn)) == 64 and min(drawn) >= 0 and max(drawn) < 100
    # every row gets used, roughly uniformly (each row is in a batch with probability 0.64)
    counts = np.bincount(idx[:, 0].flatten().numpy(), minlength=100)
    assert counts.min() > 0.64 * 200 * 0.7 and counts.max() < 0.64 * 200 * 1.3
    # consecutive batches differ
    assert not torch.equal(idx[0, 0].sort().values, idx[1, 0].sort().values)


def test_all_rows_when_fewer_than_batch_size():
    idx, mask = batch_indices([1, 2, 3], [30, 64, 100], steps=5, batch_size=64)
    assert torch.equal(idx[:, 0, :30], torch.arange(30).expand(5, 30))
    assert torch.equal(idx[:, 1], torch.arange(64).expand(5, 64))
    assert mask[0, :30].eq(1).all() and mask[0, 30:].eq(0).all()
    assert mask[1:].eq(1).all()
    only_small, small_mask = batch_indices([1], [30], steps=5, batch_size=64)
    assert only_small.shape == (5, 1, 30) and small_mask.eq(1).all()


def test_padded_rows_never_enter_the_loss():
    """Garbage in the padding must not change anything."""
    sets = [dataset(s, n) for s, n in ((3, 10), (4, 50))]
    x, rows = stack([a for a, _ in sets])
    y, _ = stack([b for _, b in sets], torch.long)
    results = []
    for fill in (0.0, 1e3):
        xf = x.clone()
        xf[0, 10:] = fill
        for batch_size in (16, None):
            model = BatchedMLP(SIZES, 2).initialise([3, 4])
            train(model, xf, one_hot(y), rows=rows, steps=10, seeds=[3, 4], batch_size=batch_size)
            results.append([p.detach().clone() for p in model.parameters()])
    for a, b in zip(results[0], results[2]):
        assert torch.equal(a, b)
    for a, b in zip(results[1], results[3]):
        assert torch.equal(a, b)


# --- initialisation --------------------------------------------------------------------------


def test_xavier_bounds_for_weights_and_biases():
    sizes = (40, 300, 120, 2)
    model = BatchedMLP(sizes, 3).initialise([1, 2, 3], "xavier")
    for (fan_in, fan_out), w, b in zip(zip(sizes[:-1], sizes[1:]), model.weights, model.biases):
        bound = math.sqrt(6 / (fan_in + fan_out))
        assert w.shape == (3, fan_in, fan_out)
        assert w.abs().max() <= bound
        if w[0].numel() > 200:  # uniform on [-bound, bound]
            assert w.abs().max() > 0.95 * bound
            assert abs(w.var().item() - bound**2 / 3) < 0.1 * bound**2 / 3
            assert abs(w.mean().item()) < 0.05 * bound
        # "a bias of length n is drawn as if its fan-in and fan-out were both n"
        b_bound = math.sqrt(6 / (2 * fan_out))
        assert b.shape == (3, 1, fan_out)
        assert b.abs().max() <= b_bound
        if fan_out >= 100:
            assert b.abs().max() > 0.9 * b_bound
            assert abs(b.var().item() - b_bound**2 / 3) < 0.15 * b_bound**2 / 3
        assert not torch.equal(b[0], b[1])


def test_xavier_weights_scheme_zero_biases():
    model = BatchedMLP(SIZES, 2).initialise([1, 2], "xavier_weights")
    reference = BatchedMLP(SIZES, 2).initialise([1, 2], "xavier")
    assert torch.equal(model.weights[0], reference.weights[0])  # same stream, first draw
    for (fan_in, fan_out), w, b in zip(zip(SIZES[:-1], SIZES[1:]), model.weights, model.biases):
        assert w.abs().max() <= math.sqrt(6 / (fan_in + fan_out)) and w.abs().max() > 0
        assert b.eq(0).all()


@pytest.mark.parametrize("scheme,value", [("zeros", 0.0), ("ones", 1.0)])
def test_constant_schemes(scheme, value):
    model = BatchedMLP(SIZES, 2).initialise([1, 2], scheme)
    for p in model.parameters():
        assert p.eq(value).all()


def test_normal_scheme_std_and_per_model_choices():
    model = BatchedMLP((100, 400, 2), 3).initialise(
        [1, 2, 3], ["normal", "normal", "zeros"], std=[0.01, 1.0, 0.5]
    )
    w = model.weights[0]
    assert abs(w[0].std().item() - 0.01) < 0.0005 and abs(w[0].mean().item()) < 0.0005
    assert abs(w[1].std().item() - 1.0) < 0.05 and abs(w[1].mean().item()) < 0.05
    assert w[2].eq(0).all()
    assert abs(model.biases[0][1].std().item() - 1.0) < 0.2


def test_initialise_is_per_model_scheme():
    mixed = BatchedMLP(SIZES, 2).initialise([1, 2], ["ones", "xavier"])
    plain = BatchedMLP(SIZES, 1).initialise([2], "xavier")
    for p, q in zip(mixed.parameters(), plain.parameters()):
        assert p[0].eq(1).all()
        assert torch.equal(p[1], q[0])


# --- clear errors ----------------------------------------------------------------------------


def test_unknown_activation():
    with pytest.raises(ValueError, match=r"activation.*'sigmoid'.*'swish'"):
        BatchedMLP(SIZES, 2, "swish")
    with pytest.raises(ValueError, match="activation"):
        BatchedMLP(SIZES, 2, ["relu", "swish"])
    with pytest.raises(ValueError, match="activation"):
        BatchedMLP(SIZES, 3, ["relu", "tanh"])  # one per model


def test_unknown_loss():
    model = BatchedMLP(SIZES, 2).initialise([1, 2])
    x, t = torch.zeros(2, 5, 3), torch.zeros(2, 5, 2)
    with pytest.raises(ValueError, match=r"loss.*'cross_entropy'.*'log_cosh'"):
        train(model, x, t, steps=1, seeds=[1, 2], loss="log_cosh")
    with pytest.raises(ValueError, match="loss"):
        train(model, x, t, steps=1, seeds=[1, 2], loss=["mse"])


def test_unknown_init_and_seed_count():
    with pytest.raises(ValueError, match="unknown initialisation 'he'"):
        BatchedMLP(SIZES, 2).initialise([1, 2], "he")
    with pytest.raises(ValueError, match="3 seeds for 2 models"):
        BatchedMLP(SIZES, 2).initialise([1, 2, 3])


def test_tables_cover_the_protocols():
    assert {"sigmoid", "relu", "tanh", "square", "sin", "sign", "identity"} <= set(ACTIVATIONS)
    assert {"cross_entropy", "mse", "mae", "fourth", "hinge", "constant"} <= set(LOSSES)


# --- hand-written backward == autograd -------------------------------------------------------


def train_both_ways(seeds, row_counts, *, steps=20, **kw):
    sets = [dataset(s, n) for s, n in zip(seeds, row_counts)]
    x, rows = stack([a for a, _ in sets])
    y, _ = stack([b for _, b in sets], torch.long)
    results = []
    for manual in (True, False):
        model = BatchedMLP(SIZES, len(seeds), kw.get("activation", "sigmoid")).initialise(
            seeds, kw.get("scheme", "xavier"), 1.0
        )
        train(
            model,
            x,
            one_hot(y),
            rows=rows,
            steps=steps,
            seeds=seeds,
            batch_size=kw.get("batch_size", 16),
            loss=kw.get("loss", "cross_entropy"),
            manual_backward=manual,
        )
        results.append([p.detach().clone() for p in model.parameters()])
    return results


@pytest.mark.parametrize("batch_size", [16, None])
def test_manual_backward_equals_autograd(batch_size):
    activations = sorted(ACTIVATIONS)
    losses = (sorted(LOSSES) * 2)[: len(activations)]
    seeds = list(range(100, 100 + len(activations)))
    manual, auto = train_both_ways(
        seeds,
        [40, 12, 30, 40, 25, 40, 16][: len(seeds)] + [40] * max(0, len(seeds) - 7),
        activation=activations,
        loss=losses,
        batch_size=batch_size,
    )
    for a, b in zip(manual, auto):
        torch.testing.assert_close(a, b, rtol=RTOL, atol=ATOL)


def test_manual_backward_single_gradient_step_matches_autograd():
    """Gradients themselves (before Adam's normalisation) agree tightly."""
    x, y = dataset(1, 30)
    x, t = torch.as_tensor(x)[None].expand(3, 30, 3), one_hot(torch.as_tensor(y))[None]
    t = t.expand(3, 30, 2)
    model = BatchedMLP(SIZES, 3, ["sigmoid", "relu", "tanh"]).initialise([1, 2, 3])
    wb = torch.ones(3, 30)
    loss_fn = engine.per_model(["cross_entropy", "mse", "hinge"], 3, LOSSES, "loss")
    engine._manual_gradients(model, x, t, wb, loss_fn)
    manual = [p.grad.clone() for p in model.parameters()]
    model.zero_grad(set_to_none=True)
    ((loss_fn(model(x), t) * wb).sum(1) / wb.sum(1)).sum().backward()
    for a, p in zip(manual, model.parameters()):
        torch.testing.assert_close(a, p.grad, rtol=1e-5, atol=1e-7)


def test_autograd_kept_for_custom_modules_and_penalties():
    class Sub(BatchedMLP):
        pass

    assert engine._manual_backward_ok(BatchedMLP(SIZES, 1))
    assert not engine._manual_backward_ok(Sub(SIZES, 1))
    x, t = torch.zeros(1, 8, 3), torch.zeros(1, 8, 2)
    with pytest.raises(ValueError, match="manual_backward"):
        train(Sub(SIZES, 1).initialise([1]), x, t, steps=1, seeds=[1], manual_backward=True)
    with pytest.raises(ValueError, match="manual_backward"):
        train(
            BatchedMLP(SIZES, 1).initialise([1]),
            x,
            t,
            steps=1,
            seeds=[1],
            penalty=lambda m: m.weights[0].abs().mean((1, 2)),
            manual_backward=True,
        )
    # a penalty still trains (autograd path): L1 on weights shrinks them
    plain = BatchedMLP(SIZES, 1).initialise([1])
    pen = BatchedMLP(SIZES, 1).initialise([1])
    train(plain, x, t, steps=30, seeds=[1], batch_size=None, loss="constant")
    train(
        pen,
        x,
        t,
        steps=30,
        seeds=[1],
        batch_size=None,
        loss="constant",
        penalty=lambda m: sum(w.abs().mean((1, 2)) for w in m.weights),
    )
    assert pen.weights[1].abs().sum() < plain.weights[1].abs().sum()


@pytest.mark.parametrize("batch_size", [16, None])
def test_chunked_manual_backward_equals_unchunked_and_autograd(monkeypatch, batch_size):
    activations = ["sigmoid", "relu", "tanh", "sigmoid", "sin", "identity", "sigmoid"]
    losses = ["cross_entropy", "mse", "hinge", "cross_entropy", "mae", "fourth", "constant"]
    seeds, counts = list(range(200, 207)), [40, 12, 30, 40, 25, 40, 16]
    whole_manual, whole_auto = train_both_ways(
        seeds, counts, activation=activations, loss=losses, batch_size=batch_size
    )
    monkeypatch.setattr(engine, "CHUNK_FLOATS", 3 * 40 * 8)  # chunks of 3, 3, 1 models
    model = BatchedMLP(SIZES, 7, activations)
    assert [len(range(7)[c[0]]) for c in engine._manual_chunks(model, 40, losses)] == [3, 3, 1]
    chunked, _ = train_both_ways(
        seeds, counts, activation=activations, loss=losses, batch_size=batch_size
    )
    for a, b, c in zip(chunked, whole_manual, whole_auto):
        torch.testing.assert_close(a, b, rtol=1e-6, atol=1e-7)
        torch.testing.assert_close(a, c, rtol=RTOL, atol=ATOL)
