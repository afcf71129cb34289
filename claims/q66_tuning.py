"""Q66. 当神经网络的调参效果不好时，从哪些角度思考？（不要首先归结于 overfiting）
-- When tuning a neural network goes badly, what should you consider (not overfitting first)?

Mostly advice. The statements about batch size and learning rate share the experiments of Q41
(experiments/q41_dynamics.py: ``minibatch`` -- every batch size at its own pilot-tuned learning
rate, so a batch size is never judged at a rate tuned for another -- and ``lr_sweep``); the
remedies against overfitting use experiments/q66_dynamics.py ``remedies`` (a network that fits
its 100 training digits exactly, with early stopping, L2 regularisation / weight decay and
dropout, each strength chosen on validation rows).
"""

import torch
from torch import nn

from experiments import q41_dynamics as q41
from experiments import q66_dynamics as q66
from harness import (
    AllOf,
    Compare,
    Diverged,
    Empirical,
    Kind,
    Share,
    Verdict,
    claim,
    departure,
    exact,
)

MB = q41.minibatch()
LR = q41.lr_sweep()
LR_LARGE = q41.lr_sweep(arms=q41.LR_ARMS_LARGE)
REMEDY = q66.remedies()

# Declared before any run (the same constants as Q41's where the claim is the same).
EARLIER = 1.5  # "很快平稳" (levels off quickly): steady in at most 2/3 of the steps
JITTER_RATIO = 2.0  # "震荡" (oscillates): at least twice the step-to-step jitter
SLOWER = 1.5  # "收敛慢" (converges slowly): at least 1.5 times the loss after 300 steps
RISING = 0.1  # more oscillation: the loss rises on at least one more step in ten
OVERFIT = 0.05  # "容易过拟合": training accuracy above test accuracy by at least 5 points
BETTER = 0.01  # a remedy helps: 3.6 more of the 360 test rows right

departure(
    66,
    "Weight decay is described correctly here ('收缩权重', shrinking the weights), "
    "unlike Q41, which describes it as learning-rate decay: the two answers "
    "contradict each other.",
    claims=("Q66.13", "Q66.16"),
)


def remedy_helps(arm):
    return Compare(q66.RM_TEST.at(arm=arm), q66.RM_TEST.at(arm="base"), min_effect=BETTER)


claim(
    "Q66.1",
    quote="是否找到合适的损失函数？",
    kind=Kind.OPINION,
    statement="Check whether the loss function suits the problem.",
    reason="advice",
)

claim(
    "Q66.2",
    quote="不同问题适合不同的损失函数",
    kind=Kind.OPINION,
    statement="Different problems suit different loss functions.",
    reason="a general judgement naming no problem and no loss to compare",
)

claim(
    "Q66.3",
    quote="batch size 是否合适？",
    kind=Kind.OPINION,
    statement="Check whether the batch size is suitable.",
    reason="advice",
)

claim(
    "Q66.4",
    quote="batch size 太大 -> loss 很快平稳",
    kind=Kind.EMPIRICAL,
    statement=f"With too large a batch the loss levels off quickly: on XOR, full-batch "
    f"descent's training loss settles (stays within ±10 % of its final value) in at "
    f"most 1/{EARLIER} of the steps it takes with mini-batches of 16.",
    check=Empirical(
        MB, Compare(q41.SETTLE.at(arm="b16"), q41.SETTLE.at(arm="full"), min_ratio=EARLIER)
    ),
    note="q41_dynamics.minibatch: the step from which the full training loss (recorded every "
    "10 steps) stays within ±10 % of its last value, averaged over the seed's 16 "
    "initialisations; each batch size at its pilot-tuned rate. 'Levels off' is read as "
    "'stops changing', whatever the level (a stuck run levels off too). Observed: "
    "full-batch descent settles no earlier than batches of 16 (ratio 0.98 [0.94, "
    "1.03]) -- at its tuned rate, 0.3 against 1.0, it is also slower.",
    expect=Verdict.REFUTED,
)

claim(
    "Q66.5",
    quote="batch size 太小 -> loss 会震荡",
    kind=Kind.EMPIRICAL,
    statement=f"With too small a batch the loss oscillates: with batches of 1 the full "
    f"training loss's step-to-step change has at least {JITTER_RATIO:g} times the "
    f"standard deviation it has with batches of 16.",
    check=Empirical(
        MB, Compare(q41.JITTER.at(arm="b1"), q41.JITTER.at(arm="b16"), min_ratio=JITTER_RATIO)
    ),
    note="The test of Q41.15.",
    expect=Verdict.SUPPORTED,
)

claim(
    "Q66.6",
    quote="是否选择了合适的激活函数？",
    kind=Kind.OPINION,
    statement="Check whether the activation function is suitable.",
    reason="advice",
)

claim(
    "Q66.7",
    quote="学习率小收敛慢",
    kind=Kind.EMPIRICAL,
    statement=f"A small learning rate converges slowly: 100 times below the tuned rate the "
    f"training loss after 300 steps is at least {SLOWER} times the tuned rate's.",
    check=Empirical(
        LR, Compare(q41.LR_LOSS.at(arm="small"), q41.LR_LOSS.at(arm="best"), min_ratio=SLOWER)
    ),
    note="The test of Q41.29 (q41_dynamics.lr_sweep).",
    expect=Verdict.SUPPORTED,
)

claim(
    "Q66.8",
    quote="学习率大 loss 震荡",
    kind=Kind.EMPIRICAL,
    statement=f"A large learning rate makes the loss oscillate: 100 times above the tuned "
    f"rate it rises on a larger share of steps, by at least {RISING}.",
    check=Empirical(
        LR_LARGE,
        Compare(q41.LR_UPS.at(arm="large"), q41.LR_UPS.at(arm="best"), min_effect=RISING),
        diverged=Diverged.EXCLUDE,
    ),
    note="The test of Q41.27; a diverged run has no loss curve to count on and is excluded.",
    expect=Verdict.SUPPORTED,
)

claim(
    "Q66.9",
    quote="是否选择了合适的优化算法？（比如 adam）",
    kind=Kind.OPINION,
    statement="Check whether the optimiser (e.g. Adam) is suitable.",
    reason="advice",
)

claim(
    "Q66.10",
    quote="深度学习拟合能力强，容易过拟合",
    kind=Kind.EMPIRICAL,
    statement=f"Deep networks fit strongly and overfit easily: a 64-64-64-10 network trained "
    f"on 100 digits fits them (training accuracy >= 0.99 in more than 80 % of "
    f"runs), and its training accuracy exceeds its test accuracy by at least "
    f"{OVERFIT}.",
    check=Empirical(
        REMEDY,
        AllOf(
            [
                Share(q66.RM_TRAIN.at(), above=0.99, at_least=0.8),
                Compare(q66.RM_GAP.at(), 0.0, min_effect=OVERFIT),
            ],
            label="fits and overfits",
        ),
    ),
    note="q66_dynamics.remedies, the network without remedies; 360 test rows. Q46 tests the "
    "capacity part (memorising random labels) on the notebook's task.",
    expect=Verdict.SUPPORTED,
)

claim(
    "Q66.11",
    quote="Early Stopping",
    kind=Kind.EMPIRICAL,
    statement=f"Early stopping reduces overfitting: stopping at the lowest validation loss "
    f"raises test accuracy by at least {BETTER}.",
    check=Empirical(REMEDY, remedy_helps("early")),
    note="remedies: the base run's weights at the record (every 10 steps) with the lowest "
    "loss on 100 validation rows. Observed: -0.020 [-0.029, -0.010]: the validation loss "
    "bottoms out early (the network grows over-confident) while test accuracy keeps "
    "rising, so stopping at the validation-loss minimum stops too soon. Stopping on "
    "validation accuracy instead was not tested.",
    expect=Verdict.REFUTED,
)

claim(
    "Q66.12",
    quote="Regularization（正则化）",
    kind=Kind.EMPIRICAL,
    statement=f"Regularisation reduces overfitting: an L2 penalty (strength chosen on the "
    f"validation rows) raises test accuracy by at least {BETTER}.",
    check=Empirical(REMEDY, remedy_helps("l2")),
    note="remedies: λ Σ||W||² with λ in {1e-3, 1e-2}; see Q53 for the notebook's "
    "regularisation experiment.",
    expect=Verdict.SUPPORTED,
)

claim(
    "Q66.13",
    quote="Weight Decay（收缩权重）",
    kind=Kind.EMPIRICAL,
    statement=f"Weight decay (shrinking the weights) reduces overfitting: it raises test "
    f"accuracy by at least {BETTER}.",
    check=Empirical(REMEDY, remedy_helps("l2")),
    note="Under SGD weight decay and an L2 penalty are the same update (Q66.16), so this is "
    "the test of Q66.12.",
    expect=Verdict.SUPPORTED,
)


@exact(
    "Q66.16",
    quote="收缩权重",
    kind=Kind.DEFINITIONAL,
    statement="Weight decay shrinks the weights: under SGD, PyTorch's weight_decay λ gives "
    "w <- (1 - ηλ) w - η g, the same update as the L2 penalty (λ/2)||w||².",
    method="one torch.optim.SGD step with weight_decay against the formula and against "
    "SGD on the loss plus the L2 penalty",
)
def weight_decay_shrinks():
    torch.manual_seed(0)
    w0, g = torch.randn(5), torch.randn(5)
    lr, lam = 0.1, 0.3
    a = nn.Parameter(w0.clone())
    opt = torch.optim.SGD([a], lr=lr, weight_decay=lam)
    a.grad = g.clone()
    opt.step()
    b = nn.Parameter(w0.clone())
    ((b * g).sum() + lam / 2 * b.square().sum()).backward()
    torch.optim.SGD([b], lr=lr).step()
    formula = (1 - lr * lam) * w0 - lr * g
    assert torch.allclose(a.detach(), formula) and torch.allclose(b.detach(), formula)
    return f"w <- (1 - ηλ) w - η g: every update first shrinks w by {1 - lr * lam:g}"


claim(
    "Q66.14",
    quote="Dropout（随机失活）",
    kind=Kind.EMPIRICAL,
    statement=f"Dropout reduces overfitting: it raises test accuracy by at least {BETTER}.",
    check=Empirical(REMEDY, remedy_helps("dropout")),
    note="remedies: p in {0.2, 0.5} on both hidden layers, chosen on the validation rows.",
    expect=Verdict.INCONCLUSIVE,
)

claim(
    "Q66.15",
    quote="调整网络结构",
    kind=Kind.OPINION,
    statement="Adjusting the network structure helps against overfitting.",
    reason="advice without a direction (which structure, changed how) to test",
)
