"""Q61. 深度学习中有什么加快收敛/降低训练难度的方法？
— What methods speed up convergence / make training easier in deep learning?

A bare list; each item is read as the claim "this speeds up convergence or eases training".
"""
from experiments import training_dynamics as td
from harness import Compare, Empirical, Kind, Verdict, claim

DEEP = td.deep_training()
LR = td.lr_sweep()

claim("Q61.1", quote="瓶颈结构",
      statement="Bottleneck blocks (1x1 convolutions reducing channels) speed up convergence.",
      kind=Kind.EMPIRICAL,
      note="Bottlenecks mainly cut computation and parameters per block (ResNet-50+); whether "
           "they speed convergence per step is not established. Pending.")
claim("Q61.2", quote="残差",
      statement="Residual connections speed up training: after the same SGD steps a deep net "
                "with residual connections has a training loss at least 2x (0.3 decades) lower.",
      kind=Kind.EMPIRICAL,
      check=Empirical(DEEP, Compare("loss_plain", "loss_residual", min_effect=0.3), max_seeds=10),
      expect=Verdict.SUPPORTED,
      note="deep_training: 10-layer, 32-wide ReLU MLP, PyTorch default init, full-batch SGD lr "
           "0.05, 60 steps, two Gaussian classes; the same weights with and without identity "
           "shortcuts around each hidden layer. One learning rate for both.")
claim("Q61.3", quote="学习率、步长、动量",
      statement="Learning rate (step size) and momentum affect convergence speed: a working "
                "learning rate converges faster than one 30x smaller.", kind=Kind.EMPIRICAL,
      check=Empirical(LR, Compare("final_0.01", "final_0.3", min_effect=0.02), max_seeds=10),
      expect=Verdict.SUPPORTED,
      note="lr_sweep (Q41.29): only the learning-rate part is tested; momentum's effect on "
           "speed is not (Q41.30 tests momentum's escape from a local minimum). '学习率' and "
           "'步长' are the same thing.")
claim("Q61.4", quote="优化方法",
      statement="The choice of optimiser (e.g. Adam vs SGD) affects convergence speed.",
      kind=Kind.EMPIRICAL, note="Pending.")
claim("Q61.5", quote="预训练",
      statement="Pre-training speeds up convergence / eases training.", kind=Kind.EMPIRICAL,
      note="Needs a pre-trained model and a target task; pending.")
