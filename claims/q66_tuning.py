"""Q66. 当神经网络的调参效果不好时，从哪些角度思考？（不要首先归结于 overfiting）
— When tuning a neural network goes badly, what should you consider (not overfitting first)?

Mostly advice. The statements about batch size and learning rate share the experiments of Q41
(experiments.training_dynamics: batch_noise, lr_sweep).
"""
import numpy as np

from experiments import training_dynamics as td
from harness import Compare, Empirical, Kind, Trend, Verdict, claim


def log_jitter(trials):
    """log10 loss jitter at batch 1, 8, 64"""
    return np.log10(np.stack([trials[f"jitter_{b}"] for b in (1, 8, 64)], axis=1))


LR = td.lr_sweep()
BATCH = td.batch_noise()
LR_NOTE = ("lr_sweep (as Q41.27-Q41.29): full-batch GD, one tanh hidden layer (32), two Gaussian "
           "classes, cross-entropy, 200 steps, learning rates 0.01 / 0.3 / 30 fixed in advance.")

claim("Q66.1", quote="是否找到合适的损失函数？",
      statement="Check whether the loss function suits the problem.", kind=Kind.OPINION,
      reason="advice")
claim("Q66.2", quote="不同问题适合不同的损失函数",
      statement="Different problems suit different loss functions.", kind=Kind.OPINION,
      reason="a general judgement without a specific measurable content")
claim("Q66.3", quote="batch size 是否合适？",
      statement="Check whether the batch size is suitable.", kind=Kind.OPINION, reason="advice")
claim("Q66.4", quote="batch size 太大 -> loss 很快平稳",
      statement="With too large a batch the loss quickly levels off (plateaus).",
      kind=Kind.EMPIRICAL,
      note="Ambiguous: 'levels off' may mean a smooth curve (then it is the flip side of Q66.5) "
           "or an early plateau at a worse loss (a claim about generalisation/sharp minima). "
           "Pending.")
claim("Q66.5", quote="batch size 太小 -> loss 会震荡",
      statement="With too small a batch the training loss oscillates: its step-to-step "
                "fluctuation falls as the batch grows 1 -> 8 -> 64.", kind=Kind.EMPIRICAL,
      check=Empirical(BATCH, Trend(log_jitter, levels=(1, 8, 64), direction="decreasing",
                                   min_effect=0.3), max_seeds=10),
      expect=Verdict.SUPPORTED, note="Same test as Q41.15 (batch_noise).")
claim("Q66.6", quote="是否选择了合适的激活函数？",
      statement="Check whether the activation function is suitable.", kind=Kind.OPINION,
      reason="advice")
claim("Q66.7", quote="学习率小收敛慢",
      statement="A small learning rate converges slowly: after the same steps the loss is "
                "higher (by 0.02 at least) than with a working rate.", kind=Kind.EMPIRICAL,
      check=Empirical(LR, Compare("final_0.01", "final_0.3", min_effect=0.02), max_seeds=10),
      expect=Verdict.SUPPORTED, note=LR_NOTE)
claim("Q66.8", quote="学习率大 loss 震荡",
      statement="A large learning rate makes the loss oscillate: more steps increase the loss "
                "(by 0.05 of the steps at least).", kind=Kind.EMPIRICAL,
      check=Empirical(LR, Compare("ups_30", "ups_0.3", min_effect=0.05), max_seeds=10),
      expect=Verdict.INCONCLUSIVE,
      note=LR_NOTE + " Observed: mean difference 0.20 of the steps [0.12, 0.32], above the "
           "0.05 margin, but at the 10-seed cap it does not clear the multiplicity-adjusted "
           "threshold when run with the other claims (it did when Q41 ran alone).")
claim("Q66.9", quote="是否选择了合适的优化算法？（比如 adam）",
      statement="Check whether the optimiser (e.g. Adam) is suitable.", kind=Kind.OPINION,
      reason="advice")
claim("Q66.10", quote="深度学习拟合能力强，容易过拟合",
      statement="Deep networks fit strongly and overfit easily.", kind=Kind.EMPIRICAL,
      note="Q46 (memorisation of random labels) tests the capacity part on the notebook's "
           "task. Pending here.")
claim("Q66.11", quote="Early Stopping",
      statement="Early stopping reduces overfitting.", kind=Kind.EMPIRICAL, note="Pending.")
claim("Q66.12", quote="Regularization（正则化）",
      statement="Regularisation reduces overfitting.", kind=Kind.EMPIRICAL,
      note="Pending; see Q53 for the notebook's regularisation experiment.")
claim("Q66.13", quote="Weight Decay（收缩权重）",
      statement="Weight decay (shrinking the weights) reduces overfitting.", kind=Kind.EMPIRICAL,
      note="Pending. Here, unlike Q41.36, weight decay is described correctly (shrinking).")
claim("Q66.14", quote="Dropout（随机失活）",
      statement="Dropout reduces overfitting.", kind=Kind.EMPIRICAL, note="Pending.")
claim("Q66.15", quote="调整网络结构",
      statement="Adjusting the network structure helps against overfitting.", kind=Kind.OPINION,
      reason="advice without specific content")
