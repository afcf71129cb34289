"""Q60. CNN的特点以及优势 — The characteristics and advantages of CNNs.

Local connectivity, weight sharing, down-sampling and the growth of receptive fields are
checked by counting parameters and FLOPs and by autograd on small convolution stacks.
"""
import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from harness import Exact, Kind, Verdict, claim

C_IN, C_OUT, K, H = 8, 16, 3, 16            # a 3x3 conv, 8 -> 16 channels, 16x16 input
P = H - K + 1                              # output side (no padding)


def _input_window(net, size, i, j):
    x = torch.rand(1, 1, size, size, generator=torch.Generator().manual_seed(0),
                   requires_grad=True)
    net(x)[0, 0, i, j].backward()
    nz = torch.nonzero(x.grad[0, 0])
    return (nz[:, 0].min().item(), nz[:, 0].max().item(), nz[:, 1].min().item(),
            nz[:, 1].max().item())


def _positive_conv(k, stride=1):
    conv = nn.Conv2d(1, 1, k, stride, bias=False)
    with torch.no_grad():
        conv.weight.fill_(1.0)
    return conv


def local_connectivity():
    r0, r1, c0, c1 = _input_window(_positive_conv(K), 20, 7, 11)
    assert (r0, r1, c0, c1) == (7, 7 + K - 1, 11, 11 + K - 1), (r0, r1, c0, c1)
    return True, f"output (7, 11) depends only on input rows {r0}-{r1}, columns {c0}-{c1}"


def params():
    conv = C_OUT * C_IN * K * K + C_OUT
    local = P * P * (C_OUT * C_IN * K * K + C_OUT)        # same connectivity, no sharing
    dense = (C_IN * H * H) * (C_OUT * P * P) + C_OUT * P * P
    return conv, local, dense


def sharing_reduces_parameters():
    conv, local, dense = params()
    assert sum(p.numel() for p in nn.Conv2d(C_IN, C_OUT, K).parameters()) == conv
    assert conv < local < dense
    return True, f"conv {conv:,} vs unshared (locally connected) {local:,} vs dense {dense:,}"


def _flops(fn, *args):
    with FlopCounterMode(display=False) as counter:
        fn(*args)
    return counter.get_total_flops()


def sharing_does_not_reduce_flops():
    g = torch.Generator().manual_seed(0)
    x = torch.rand(1, C_IN, H, H, generator=g)
    conv = nn.Conv2d(C_IN, C_OUT, K, bias=False)
    w_local = torch.rand(P * P, C_OUT, C_IN * K * K, generator=g)   # one kernel per position

    def locally_connected(x):
        cols = nn.functional.unfold(x, K)[0].T                      # (P*P, C_IN*K*K)
        return torch.einsum("poc,pc->op", w_local, cols)

    f_conv, f_local = _flops(conv, x), _flops(locally_connected, x)
    assert f_conv == f_local == 2 * P * P * C_OUT * C_IN * K * K, (f_conv, f_local)
    assert f_conv < f_local, "same FLOPs: sharing saves memory, not arithmetic"


def downsampling():
    x = torch.rand(1, 3, 32, 32)
    pooled = nn.MaxPool2d(2)(x).shape[-2:]
    strided = nn.Conv2d(3, 3, 3, stride=2, padding=1)(x).shape[-2:]
    assert tuple(pooled) == (16, 16) and tuple(strided) == (16, 16)
    return True, f"32x32 -> pooling {tuple(pooled)}, stride-2 conv {tuple(strided)}"


def receptive_field_grows():
    sizes = []
    for depth in range(1, 6):
        net = nn.Sequential(*[_positive_conv(3) for _ in range(depth)])
        r0, r1, _, _ = _input_window(net, 24, 2, 2)
        sizes.append(r1 - r0 + 1)
    assert sizes == [2 * d + 1 for d in range(1, 6)], sizes
    return True, f"receptive field of a unit by depth 1-5: {sizes}"


claim("Q60.1", quote="CNN 使用范围是具有局部空间相关性的数据，比如图像，自然语言，语音",
      statement="CNNs suit data with local spatial correlation (images, text, speech): they "
                "gain over a dense network when neighbouring inputs are correlated, and lose that "
                "gain when the inputs' order is scrambled.",
      kind=Kind.EMPIRICAL,
      note="Testable by training a small CNN and an MLP on images and on the same images with a "
           "fixed random pixel permutation; not implemented here. Pending.")
claim("Q60.2", quote="局部连接：可以提取局部特征",
      statement="In a convolution each output depends only on a local window of the input "
                "(k x k for a k x k kernel).",
      kind=Kind.EXACT, check=Exact(local_connectivity, method="autograd: input region with "
                                   "nonzero gradient of one output of a 3x3 conv"),
      expect=Verdict.SUPPORTED)
claim("Q60.3", quote="权值共享：减少参数数量",
      statement="Weight sharing reduces the number of parameters: a 3x3 conv 8->16 on 16x16 has "
                "far fewer than the same connectivity without sharing, or a dense layer.",
      kind=Kind.EXACT, check=Exact(sharing_reduces_parameters, method="parameter counts"),
      expect=Verdict.SUPPORTED)
claim("Q60.4", quote="空间、时间消耗都少了",
      statement="Weight sharing reduces memory (fewer parameters to store) and computation time "
                "(fewer FLOPs than the same layer without sharing).",
      kind=Kind.EXACT, check=Exact(sharing_does_not_reduce_flops,
                                   method="torch FlopCounterMode: conv vs locally connected layer "
                                          "(same connectivity, one kernel per position)"),
      expect=Verdict.REFUTED,
      note="Half false: sharing saves memory (Q60.3) but not arithmetic: a conv and a locally "
           "connected layer do exactly the same multiply-adds. The saving in compute versus a "
           "dense layer comes from local connectivity, not from sharing.")
claim("Q60.5", quote="因此降低训练难度",
      statement="Because of weight sharing, CNNs are easier to train.", kind=Kind.EMPIRICAL,
      note="Vague ('training difficulty'); would need a comparison of conv vs locally connected "
           "layers on image data. Pending.")
claim("Q60.6", quote="可以完全共享，也可以局部共享",
      statement="Weights can be shared over the whole input or only locally (e.g. separate "
                "kernels for the eye, nose and mouth regions of aligned faces).",
      kind=Kind.DEFINITIONAL, reason="describes design options (locally shared layers, as in "
                                     "DeepFace); nothing to measure")
claim("Q60.7", quote="降维：通过池化或卷积 stride 实现",
      statement="Spatial down-sampling is done by pooling or by strided convolution: both halve "
                "a 32x32 map to 16x16 with factor 2.",
      kind=Kind.EXACT, check=Exact(downsampling, method="output shapes"),
      expect=Verdict.SUPPORTED)
claim("Q60.8", quote="将低层次的局部特征组合成为较高层次的特征",
      statement="Stacked layers combine lower-level local features into higher-level ones; "
                "measurably, a unit's receptive field grows with depth (2d+1 for d 3x3 convs).",
      kind=Kind.EXACT, check=Exact(receptive_field_grows, method="autograd receptive fields of "
                                   "1-5 stacked 3x3 convs"),
      expect=Verdict.SUPPORTED,
      note="Only the growth of the spatial extent is checked; that the combined features are "
           "'higher-level' (more semantic) is not.")
claim("Q60.9", quote="不同层级的特征可以对应不同任务",
      statement="Features of different levels can serve different tasks.", kind=Kind.OPINION,
      reason="a design suggestion, no specific factual content to measure")
