"""Experiments of Q64 (batch normalisation), shared by Q41 and Q61: gradients through deep
networks at initialisation with and without BN, and training on handwritten digits with and
without BN (the internal-covariate-shift experiment of Ioffe & Szegedy 2015, section 4.1, scaled
down), with cross-entropy or squared error, with SGD or Adam.

``gradient_flow``: the project's two-class Gaussian task (200 rows, d = 10, standardised), deep
MLPs of 10 hidden layers of 32 units, cross-entropy, full batch, at their initial weights:
``sigmoid`` and ``relu`` (Glorot-uniform weights, zero biases), ``sigmoid_bn`` (the same
weights, BN before every non-linearity), ``relu_he`` (He-normal weights, the usual ReLU
initialisation), ``relu_large`` (the same He-normal draws times 2: every layer doubles the
signal -- the text's "large weights" case) and the BN versions ``relu_he_bn``,
``relu_large_bn`` (the same weights). Measured: the norm of the loss gradient with respect to
each hidden layer's weight matrix. The sigmoid network is then trained by full-batch gradient
descent (lr 0.5, 100 steps) and the relative change ||W_end - W_0|| / ||W_0|| of each hidden
layer is measured.

``digits``: sklearn's 8x8 digits (1,437 training rows, 360 test rows, pixels standardised), a
64-100-100-100-10 network with sigmoid hidden units (the paper's MNIST network: three hidden
layers of 100 sigmoid units, 10 outputs, mini-batches of 60), Glorot-uniform weights, 600 steps
(the paper: 50,000 on MNIST). Arms: ``plain`` (SGD, cross-entropy); ``bn`` (BN before
every sigmoid); ``bn_noisy`` (BN whose outputs are rescaled by U(0.5, 1.5) and shifted by
U(-1, 1), per unit, afresh at every step -- Santurkar et al. 2018's ablation, simplified);
``se`` (squared error between softmax and one-hot target instead of cross-entropy); ``adam``
(Adam instead of SGD). Each arm trains at its own learning rate, chosen on pilot seeds
(``pilot_digits_rates``; the noisy ablation keeps BN's). Every arm of a seed starts from the
same weights and sees the same batches. Recorded every 50 steps: the training cross-entropy and
accuracy on 480 of the training rows (whatever the arm optimises), the test accuracy, and the
15th, 50th and 85th percentiles over those rows of the input to each sigmoid of the last hidden
layer (the paper's Figure 1(b, c)). Derived: the step at which training accuracy first reaches
0.95 (interpolated between records);
the "drift" -- the distance those percentiles travel over training (summed over the records,
averaged over units and the three percentiles) in units of the units' initial 15-85 % spread;
after the last step, the share of hidden pre-activations (all layers, training rows) where the
sigmoid's slope is below a tenth of its maximum, and the test accuracy on the test images with
every pixel raised by one training standard deviation. BN is always evaluated with the
statistics of the rows evaluated (training mode): the BN arms' test accuracies are therefore
transductive, and no claim reads them.
"""

from __future__ import annotations

import numpy as np
import torch

from harness import DIVERGED, accuracy, experiment, positive, real
from harness.figures import band
from harness.figures import seeds as seed_lines

from . import training_dynamics as td

# --- gradients at initialisation ---------------------------------------------------------------
NETS = {  # name: (activation, BN, initialisation, gain)
    "sigmoid": ("sigmoid", False, "glorot", 1.0),
    "sigmoid_bn": ("sigmoid", True, "glorot", 1.0),
    "relu": ("relu", False, "glorot", 1.0),
    "relu_he": ("relu", False, "he", 1.0),
    "relu_he_bn": ("relu", True, "he", 1.0),
    "relu_large": ("relu", False, "he", 2.0),
    "relu_large_bn": ("relu", True, "he", 2.0),
}
TRAINED = ("sigmoid",)

GRAD_RATIO = positive(
    "grad_ratio",
    "||dL/dW|| of the first hidden layer / of the last hidden layer, at initialisation",
    axes=("net",),
)
GRAD_IMBALANCE = positive(
    "grad_imbalance",
    "max(r, 1/r) of the first/last gradient ratio r: how many times the two differ, either way",
    axes=("net",),
)
GRAD_FIRST = positive(
    "grad_first", "||dL/dW|| of the first hidden layer at initialisation", axes=("net",)
)
GRAD_PROFILE = real("grad_profile", "log10 ||dL/dW|| of every hidden layer (trace)", axes=("net",))
CHANGE_RATIO = positive(
    "change_ratio",
    "relative weight change of the first hidden layer / of the last hidden layer after training",
    axes=("net",),
)
CHANGE_PROFILE = real(
    "change_profile", "log10 relative weight change of every hidden layer (trace)", axes=("net",)
)


@experiment(
    "gradient_flow",
    measures=(GRAD_RATIO, GRAD_IMBALANCE, GRAD_FIRST, GRAD_PROFILE, CHANGE_RATIO, CHANGE_PROFILE),
    chunk=10,
)
@td.flush_denormals
def gradient_flow(
    seeds, *, nets=tuple(NETS), trained=TRAINED, depth=10, width=32, n=200, d=10, lr=0.5, steps=100
):
    tasks = [td.gaussian_task(s, n, d) for s in seeds]
    x, y = td.stack([t[0] for t in tasks]), td.stack([t[1] for t in tasks])
    sizes = (d, *[width] * depth, 2)
    out = [dict() for _ in seeds]
    bad = np.zeros(len(seeds), bool)
    for name in nets:
        act, bn, scheme, gain = NETS[name]
        net = td.StackedNet(sizes, len(seeds), act, bn=bn).initialise(
            [(s, "init") for s in seeds], scheme=scheme, gain=gain
        )
        loss = td.per_model_loss(net, x, y, "ce").sum()
        grads = torch.autograd.grad(loss, net.hidden_weights())
        norms = torch.stack([g.reshape(len(seeds), -1).norm(dim=1) for g in grads], 1).double()
        bad |= ~torch.isfinite(norms).all(1).numpy()
        ratio = (norms[:, 0] / norms[:, -1]).numpy()
        for j in range(len(seeds)):
            out[j][GRAD_RATIO.key(net=name)] = float(ratio[j])
            out[j][GRAD_IMBALANCE.key(net=name)] = float(np.exp(abs(np.log(ratio[j]))))
            out[j][GRAD_FIRST.key(net=name)] = float(norms[j, 0])
            out[j][GRAD_PROFILE.key(net=name)] = np.log10(norms[j].numpy()).tolist()
        if name in trained:
            w0 = [w.detach().clone() for w in net.hidden_weights()]
            bad |= td.sgd(net, x, y, steps=steps, lr=lr)
            change = torch.stack(
                [
                    (w.detach() - a).reshape(len(seeds), -1).norm(dim=1)
                    / a.reshape(len(seeds), -1).norm(dim=1)
                    for w, a in zip(net.hidden_weights(), w0)
                ],
                1,
            ).double()
            bad |= ~torch.isfinite(change).all(1).numpy()
            for j in range(len(seeds)):
                out[j][CHANGE_RATIO.key(net=name)] = float(change[j, 0] / change[j, -1])
                out[j][CHANGE_PROFILE.key(net=name)] = np.log10(change[j].numpy()).tolist()
    return [{DIVERGED: True} if bad[j] else out[j] for j in range(len(seeds))]


@gradient_flow.figure
def _plot_flow(trials, fig):
    nets = list(trials.params["nets"])
    layers = np.arange(1, trials.params["depth"] + 1)
    ax1, ax2 = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    for name in nets:
        prof = trials[GRAD_PROFILE.key(net=name)]
        band(ax1, layers, prof, label=name)
    ax1.set(
        xlabel="hidden layer",
        ylabel="log10 ||dL/dW|| at initialisation",
        title="gradient by layer (mean, 95 % interval)",
    )
    ax1.legend(fontsize=7)
    for name in trials.params["trained"]:
        prof = trials[CHANGE_PROFILE.key(net=name)]
        line = band(ax2, layers, prof, label=name)
        seed_lines(ax2, layers, prof, color=line.get_color())
    ax2.set(
        xlabel="hidden layer",
        ylabel="log10 ||ΔW|| / ||W₀||",
        title=f"relative weight change after {trials.params['steps']} steps",
    )
    ax2.legend(fontsize=8)


# --- digits: BN, loss and optimiser ------------------------------------------------------------
DIGIT_ARMS = {  # name: (BN, loss optimised, optimiser)
    "plain": (False, "ce", "sgd"),
    "bn": (True, "ce", "sgd"),
    "bn_noisy": (True, "ce", "sgd"),
    "se": (False, "se", "sgd"),
    "adam": (False, "ce", "adam"),
}
SATURATED_Z = 2 * float(np.arccosh(np.sqrt(10.0)))  # |z| beyond which σ'(z) < σ'(0) / 10
# Per arm, the rate with the lowest median final training loss on pilot seeds 1000-1009
# (pilot_digits_rates, 2026-12-02; SGD grid 0.01 ... 30, Adam grid 1e-4 ... 0.3, half-decades).
# Median final loss at the chosen rate and its neighbours: plain 0.011 / 0.0027 / 2.39 at
# 1 / 3 / 10; bn 0.0043 / 0.0019 / 0.0030; se 1.00 / 0.081 / 17.7 at 0.3 / 1 / 3; adam
# 0.0033 / 0.00012 / 2.43 at 0.003 / 0.03 / 0.1. The noisy-BN ablation keeps BN's rate.
DIGIT_LR = {"plain": 3.0, "bn": 3.0, "bn_noisy": 3.0, "se": 1.0, "adam": 0.03}
USABLE = 0.95  # training accuracy of a "usable" minimum: the target of the steps-to-target measure
PROBE_ROWS = 480  # training rows evaluated at every record (the first third of the seed's shuffle)

N_TEST = 360
DG_LOSS = positive(
    "dg_train_loss",
    "training cross-entropy on 480 training rows after the last step",
    axes=("arm",),
)
DG_TRAIN_ACC = accuracy(
    "dg_train_accuracy", "training accuracy after the last step", rows=1437, axes=("arm",)
)
DG_TEST_ACC = accuracy(
    "dg_test_accuracy", "test accuracy after the last step", rows=N_TEST, axes=("arm",)
)
DG_DRIFT = positive(
    "dg_drift",
    "distance travelled by the 15/50/85th percentiles (over 480 "
    "training rows, every 50 steps) of the last hidden layer's sigmoid inputs, "
    "in initial 15-85 % spreads",
    axes=("arm",),
)
# No `resolution` on the step counts: the harness divides a paired log-scale comparison's
# resolution by the RATIO of the arms instead of their level (a floor of 25/4 in log units here);
# a value of 0 cannot occur (a record at step 0 would read as half a record, see steps_to).
DG_STEPS = positive(
    "dg_steps_to_usable",
    "steps until training accuracy on 480 training rows "
    "first reaches 0.95 (records every 50 steps, interpolated); steps + 50 if "
    "never (a lower bound)",
    axes=("arm",),
)
DG_LOSS_CURVE = real(
    "dg_loss_curve", "training cross-entropy at every record (trace)", axes=("arm",)
)
DG_TEST_CURVE = real("dg_test_curve", "test accuracy at every record (trace)", axes=("arm",))
DG_PERCENTILES = real(
    "dg_percentiles",
    "15/50/85th percentiles of the first unit's sigmoid input at every record (trace)",
    axes=("arm",),
)
DG_SATURATED = real(
    "dg_saturated",
    "share of hidden pre-activations (training rows, all hidden "
    "layers, after the last step) with |z| > 3.64, where σ' < σ'(0)/10",
    axes=("arm",),
    bounds=(0.0, 1.0),
    resolution=1e-4,
)
DG_SHIFTED_ACC = accuracy(
    "dg_shifted_test_accuracy",
    "test accuracy when every test pixel is raised by one training standard deviation",
    rows=N_TEST,
    axes=("arm",),
)


def _digits_run(seeds, arms, lrs, *, hidden, steps, batch, every):
    """Every arm, every seed. Arms that share an architecture (with or without BN) train as
    one stack -- per model its loss, optimiser, learning rate and noise -- so adding an arm
    costs little. Returns {arm: (loss curve, test curve, final train accuracy, percentiles
    (seeds x records x units x 3), diverged, saturated share, shifted test accuracy, training
    accuracy curve)}, seeds in order."""
    splits = [td.digits_split(s, n_test=N_TEST) for s in seeds]
    sizes = (64, *hidden, 10)
    results = {}
    for bn in (False, True):
        group = [a for a in arms if DIGIT_ARMS[a][0] == bn]
        if not group:
            continue
        m_arm = [a for a in group for _ in seeds]
        m_seed = [j for _ in group for j in range(len(seeds))]
        xtr = td.stack([splits[j][0] for j in m_seed])
        ytr = td.stack([splits[j][1] for j in m_seed])
        xte = td.stack([splits[j][2] for j in m_seed])
        yte = td.stack([splits[j][3] for j in m_seed])
        net = td.StackedNet(sizes, len(m_seed), "sigmoid", bn=bn).initialise(
            [(seeds[j], "init") for j in m_seed]
        )
        curves, tests, pcts, train_accs = [], [], [], []

        xpr, ypr = xtr[:, :PROBE_ROWS], ytr[:, :PROBE_ROWS]

        def record(
            step,
            net=net,
            curves=curves,
            train_accs=train_accs,
            tests=tests,
            pcts=pcts,
            xpr=xpr,
            ypr=ypr,
            xte=xte,
            yte=yte,
        ):
            keep = []
            with torch.no_grad():
                out = net(xpr, keep=keep)
                curves.append(td.cross_entropy(out, ypr).mean(1).double().numpy())
                train_accs.append((out.argmax(-1) == ypr).double().mean(1).numpy())
                tests.append(td.evaluate(net, xte, yte)[1])
                pcts.append(percentiles(keep[-1]))

        noisy = [a == "bn_noisy" for a in m_arm]
        perturb = _noise([seeds[j] for j in m_seed], sizes, noisy) if any(noisy) else None
        bad = td.sgd(
            net,
            xtr,
            ytr,
            steps=steps,
            lr=[lrs[a] for a in m_arm],
            loss=[DIGIT_ARMS[a][1] for a in m_arm],
            batch=batch,
            batch_streams=[(seeds[j], "batches") for j in m_seed],
            optimiser=[DIGIT_ARMS[a][2] for a in m_arm],
            perturb=perturb,
            every=every,
            record=record,
        )
        train_acc = td.evaluate(net, xtr, ytr)[1]
        keep = []
        with torch.no_grad():
            net(xtr, keep=keep)
            saturated = (
                torch.stack([(z.abs() > SATURATED_Z).double().mean((1, 2)) for z in keep])
                .mean(0)
                .numpy()
            )
        shifted = td.evaluate(net, xte + 1.0, yte)[1]
        curves, tests, train_accs = (np.stack(c, 1) for c in (curves, tests, train_accs))
        pcts = np.stack(pcts, 1)
        for a in group:
            rows = [i for i in range(len(m_arm)) if m_arm[i] == a]
            results[a] = (
                curves[rows],
                tests[rows],
                train_acc[rows],
                pcts[rows],
                bad[rows],
                saturated[rows],
                shifted[rows],
                train_accs[rows],
            )
    return results


def _noise(seeds, sizes, noisy):
    """Santurkar et al. (2018)'s "noisy BatchNorm", simplified: at every step each unit's
    BN output is scaled by s ~ U(0.5, 1.5) and shifted by m ~ U(-1, 1), drawn afresh (per
    model from its seed's stream, per unit, per step) -- the distribution of every layer's input
    changes at every step while BN still normalises what comes in. Models with ``noisy[m]``
    False get s = 1, m = 0."""
    gens = {m: td.torch_generator(seeds[m], "noise") for m in range(len(seeds)) if noisy[m]}
    on = torch.tensor(noisy, dtype=torch.float32).view(-1, 1, 1)

    def at(step):
        out = []
        for width in sizes[1:-1]:
            u = torch.full((len(seeds), 2, 1, width), 0.5)
            for m, g in gens.items():
                u[m] = torch.rand((2, 1, width), generator=g)
            scale = 1 + on * (u[:, 0] - 0.5)
            shift = on * (2 * u[:, 1] - 1)
            out.append((scale, shift))
        return out

    return at


def steps_to(curve: np.ndarray, level: float, every: int) -> float:
    """When ``curve`` (record k at step k·every) first reaches ``level``, interpolating
    linearly between the two records around the crossing (so that runs a few steps apart
    are not tied by the record grid); one record past the end if it never does (a lower bound
    of the true time); half a record if it is there at step 0."""
    hit = np.flatnonzero(curve >= level)
    if not len(hit):
        return float(len(curve) * every)
    k = int(hit[0])
    if k == 0:
        return every / 2
    before, after = curve[k - 1], curve[k]
    return float((k - 1 + (level - before) / (after - before)) * every)


def percentiles(z: torch.Tensor, levels=(0.15, 0.5, 0.85)) -> np.ndarray:
    """(M, rows, units) -> (M, units, 3): each unit's percentiles over the rows (the order
    statistic at round(q (rows - 1)))."""
    at = [round(q * (z.shape[1] - 1)) for q in levels]
    rows_last = np.ascontiguousarray(z.detach().numpy().transpose(0, 2, 1))
    return np.partition(rows_last, at, axis=2)[:, :, at].astype(np.float64)


def drift(pcts: np.ndarray) -> float:
    """records x units x 3 percentiles -> the path length of the percentiles over the records,
    averaged over units and percentiles, in units of the mean initial 15-85 % spread."""
    path = np.abs(np.diff(pcts, axis=0)).sum(0).mean()
    spread = (pcts[0, :, 2] - pcts[0, :, 0]).mean()
    return float(path / spread)


# About 1.4 CPU seconds a seed with all five arms: the whole standard schedule (200 seeds)
# costs about 5 minutes.
@experiment(
    "digits",
    measures=(
        DG_LOSS,
        DG_TRAIN_ACC,
        DG_TEST_ACC,
        DG_DRIFT,
        DG_STEPS,
        DG_LOSS_CURVE,
        DG_TEST_CURVE,
        DG_PERCENTILES,
        DG_SATURATED,
        DG_SHIFTED_ACC,
    ),
)
@td.flush_denormals
def digits(
    seeds,
    *,
    arms=tuple(DIGIT_ARMS),
    lrs=None,
    hidden=(100, 100, 100),
    steps=600,
    batch=60,
    every=50,
):
    arms = list(arms)
    lrs = dict(DIGIT_LR if lrs is None else lrs)
    results = _digits_run(seeds, arms, lrs, hidden=hidden, steps=steps, batch=batch, every=every)
    out = []
    for j in range(len(seeds)):
        m = {}
        ok = True
        for a in arms:
            loss, test, train_acc, pct, bad, saturated, shifted, accs = results[a]
            if bad[j] or not (np.all(np.isfinite(loss[j])) and np.all(np.isfinite(pct[j]))):
                ok = False
                break
            m[DG_LOSS.key(arm=a)] = float(loss[j, -1])
            m[DG_TRAIN_ACC.key(arm=a)] = float(train_acc[j])
            m[DG_STEPS.key(arm=a)] = steps_to(accs[j], USABLE, every)
            m[DG_TEST_ACC.key(arm=a)] = float(test[j, -1])
            m[DG_DRIFT.key(arm=a)] = drift(pct[j])
            m[DG_LOSS_CURVE.key(arm=a)] = loss[j].tolist()
            m[DG_TEST_CURVE.key(arm=a)] = test[j].tolist()
            m[DG_PERCENTILES.key(arm=a)] = pct[j][:, 0, :].tolist()
            m[DG_SATURATED.key(arm=a)] = float(saturated[j])
            m[DG_SHIFTED_ACC.key(arm=a)] = float(shifted[j])
        out.append(m if ok else {DIVERGED: True})
    return out


def pilot_digits_rates(
    seeds=tuple(range(1000, 1010)),
    arms=("plain", "bn", "se", "adam"),
    grid=(0.01, 0.03, 0.1, 0.3, 1.0, 3.0),
    adam_grid=(1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2),
    **kw,
):
    """Per arm, the rate of its grid with the lowest median final training loss (a diverged
    run counts as an infinite loss) on the pilot seeds."""
    settings = dict(hidden=(100, 100, 100), steps=1000, batch=60, every=500) | kw
    table = {}
    for arm in arms:
        rates = adam_grid if DIGIT_ARMS[arm][2] == "adam" else grid
        table[arm] = {}
        for r in rates:
            res = _digits_run(list(seeds), [arm], {arm: r}, **settings)[arm]
            final = np.where(res[4] | ~np.isfinite(res[0][:, -1]), np.inf, res[0][:, -1])
            table[arm][r] = float(np.median(final))
    best = {a: min(t, key=t.get) for a, t in table.items()}
    return best, table


@digits.figure
def _plot_digits(trials, fig):
    arms = list(trials.params["arms"])
    every = trials.params["every"]
    ax1, ax2, ax3 = (fig.add_subplot(1, 3, i) for i in (1, 2, 3))
    for a in arms:
        test = trials[DG_TEST_CURVE.key(arm=a)]
        steps = np.arange(test.shape[1]) * every
        td.line_band(ax1, steps, test, label=a, sd=True)
        loss = np.log10(trials[DG_LOSS_CURVE.key(arm=a)])
        line = td.line_band(ax2, steps, loss, label=a)
        seed_lines(ax2, steps, loss, color=line.get_color())
    ax1.set(xlabel="step", ylabel="test accuracy", title="test accuracy (mean ± 1 SD)", ylim=(0, 1))
    ax1.legend(fontsize=8)
    ax2.set(xlabel="step", ylabel="log10 training loss", title="training loss (95 % interval)")
    for a, style in zip(arms[:2], ("-", "--")):
        pct = trials[DG_PERCENTILES.key(arm=a)][0]  # first seed, as the paper's one network
        steps = np.arange(len(pct)) * every
        for k, lab in enumerate(("15 %", "50 %", "85 %")):
            ax3.plot(steps, pct[:, k], style, color=f"C{k}", label=f"{a} {lab}")
    ax3.set(
        xlabel="step",
        ylabel="sigmoid input (one unit, seed 0)",
        title="input distribution (paper Fig. 1b,c)",
    )
    ax3.legend(fontsize=7)
