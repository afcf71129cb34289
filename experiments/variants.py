"""Robustness variants shared by the notebook's experiments: reasonable changes of protocol
under which a claim about the original should still hold (``harness.robustness``). Every
experiment built on the batched engine takes these parameters."""

COMMON = {
    "c": ("learning rate x3 (0.009)", {"lr": 0.009}),
    "d": ("learning rate /3 (0.001)", {"lr": 0.001}),
    "e": ("ReLU instead of sigmoid", {"activation": "relu"}),
}
