"""Q54. 什么是 fine-tuning？ — What is fine-tuning?

The answer is a Chinese rendering of the CS231n notes on transfer learning. Most of it is
advice and description; the statements about which layers accept which input sizes are
checked with torch layers. The empirical statements about transferable features need
ImageNet-pretrained networks and are left pending.
"""
import torch
from torch import nn

from harness import Exact, Kind, Verdict, claim


def conv_any_size():
    net = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(8, 8, 3))
    shapes = {s: tuple(net(torch.rand(1, 3, s, s)).shape[-2:]) for s in (32, 57, 100)}
    return True, f"conv/pool stack accepts 32, 57, 100 px inputs: outputs {shapes}"


def conv_output_depends_on_input():
    out = []
    for n in range(8, 40):
        for k, s, p in [(3, 1, 1), (3, 2, 0), (5, 2, 2)]:
            got = nn.Conv2d(1, 1, k, s, p)(torch.rand(1, 1, n, n)).shape[-1]
            assert got == (n + 2 * p - k) // s + 1
        out.append(nn.MaxPool2d(2)(torch.rand(1, 1, n, n)).shape[-1])
    assert out == [n // 2 for n in range(8, 40)]
    return True, "output side = floor((n + 2p - k)/s) + 1 for every n in 8..39"


def fc_any_input():
    fc = nn.Linear(100, 10)
    for n in (100, 101, 50):
        try:
            fc(torch.rand(1, n))
        except RuntimeError:
            raise AssertionError(f"nn.Linear(100, 10) rejects an input of size {n}") from None


def fc_fixed_output():
    fc = nn.Linear(100, 10)
    assert fc(torch.rand(7, 100)).shape[-1] == 10
    return True, "output size 10 whatever the batch"


claim("Q54.1", quote="由于数据集不够大，很少有人从头开始训练网络",
      statement="Because datasets are rarely large enough, few people train networks from "
                "scratch.", kind=Kind.HISTORICAL, reason="a statement about practice")
claim("Q54.2", quote="常见的做法是使用预训练的网络",
      statement="The common practice is to fine-tune a pre-trained network or use it as a "
                "feature extractor.", kind=Kind.HISTORICAL, reason="a statement about practice")
claim("Q54.3", quote="在ImageNet 上训练的分类 1000 类的网络",
      statement="ImageNet classification networks have 1000 classes.", kind=Kind.CITATION,
      reason="a fact about the ILSVRC benchmark (1000 classes), correct; no data here")
claim("Q54.4", quote="去掉最后的全连接层，剩余部分当做特征提取器",
      statement="Removing the last fully connected layer leaves a feature extractor.",
      kind=Kind.DEFINITIONAL, reason="describes the method")
claim("Q54.5", quote="AlexNet 在最后分类器前，是 4096 维的特征向量",
      statement="AlexNet's feature vector before the classifier has 4096 dimensions.",
      kind=Kind.CITATION, reason="a fact about Krizhevsky et al. 2012 (fc7 has 4096 units), "
                                 "correct; not recomputed")
claim("Q54.6", quote="这样提取的特征叫做 CNN codes",
      statement="Features extracted this way are called CNN codes.", kind=Kind.DEFINITIONAL,
      reason="a name")
claim("Q54.7", quote="可以使用线性分类器（Liner SVM、Softmax 等）来分类图像",
      statement="A linear classifier (linear SVM, softmax) can classify images from CNN codes.",
      kind=Kind.DEFINITIONAL, reason="describes the method")
claim("Q54.8", quote="替换掉网络的输入层（数据），使用新的数据继续训练",
      statement="Fine-tuning continues training the network on new data.",
      kind=Kind.DEFINITIONAL, reason="describes the method",
      note="CS231n says the classifier on top is replaced and retrained; 'replace the input "
           "layer (data)' is a loose rendering.")
claim("Q54.9", quote="Fine-tune 时可以选择 fine-tune 全部层或部分层",
      statement="One may fine-tune all layers or only some.", kind=Kind.DEFINITIONAL,
      reason="describes options")
claim("Q54.10", quote="前面的层提取的是图像的通用特征（generic features）（例如边缘检测，色彩检测）",
      statement="Early layers extract generic features (edge and colour detectors).",
      kind=Kind.EMPIRICAL,
      note="Well documented (Zeiler & Fergus 2014; Yosinski et al. 2014) but needs a trained "
           "image network to test. Pending.")
claim("Q54.11", quote="这些特征对许多任务都有用",
      statement="Early-layer features are useful for many tasks.", kind=Kind.EMPIRICAL,
      note="Pending (transfer experiment needed).")
claim("Q54.12", quote="后面的层提取的是与特定类别有关的特征",
      statement="Later layers extract features specific to the original classes.",
      kind=Kind.EMPIRICAL, note="Pending (Yosinski et al. 2014 measured this).")
claim("Q54.13", quote="因此 fine-tune 时常常只需要 Fine-tuning 后面的层",
      statement="Hence fine-tuning often only needs to update the later layers.",
      kind=Kind.OPINION, reason="advice")
claim("Q54.14", quote="在 ImageNet 上训练一个网络，即使使用多 GPU 也要花费很长时间",
      statement="Training a network on ImageNet takes long even with several GPUs.",
      kind=Kind.HISTORICAL, reason="true of the time (2-3 weeks for many nets in 2015); "
                                   "not measured here")
claim("Q54.15", quote="人们通常共享他们预训练好的网络",
      statement="People commonly share their pre-trained networks.", kind=Kind.HISTORICAL,
      reason="a statement about practice")
claim("Q54.16", quote="Caffe 有预训练好的网络地址 Model Zoo",
      statement="Caffe has a Model Zoo of pre-trained networks.", kind=Kind.CITATION,
      reason="a fact about the Caffe project, correct; not checkable here")
claim("Q54.17", quote="这是最重要的只有两个",
      statement="The two most important factors are the new dataset's size and its similarity "
                "to the original.", kind=Kind.OPINION, reason="a judgement")
claim("Q54.18", quote="网络前几层学到的是通用特征，后面几层学到的是与类别相关的特征",
      statement="The first layers learn generic features, the last layers class-specific ones.",
      kind=Kind.EMPIRICAL, note="Restates Q54.10 and Q54.12. Pending.")
claim("Q54.19", quote="因为新数据集比较小，如果 fine-tune 可能会过拟合",
      statement="Fine-tuning on a small new dataset may overfit.", kind=Kind.EMPIRICAL,
      note="Pending.")
claim("Q54.20", quote="可以使用预训练网络当做特征提取器，用提取的特征训练线性分类器",
      statement="Small and similar new data: use the network as a feature extractor and train a "
                "linear classifier.", kind=Kind.OPINION, reason="advice")
claim("Q54.21", quote="因为新数据集足够大，可以 fine-tune 整个网络",
      statement="Large and similar new data: fine-tune the whole network.", kind=Kind.OPINION,
      reason="advice")
claim("Q54.22", quote="新数据集小，最好不要 fine-tune",
      statement="Small and different new data: better not fine-tune.", kind=Kind.OPINION,
      reason="advice")
claim("Q54.23", quote="这时可是使用前面层的特征来训练 SVM 分类器",
      statement="Small and different new data: train an SVM on early-layer features.",
      kind=Kind.OPINION, reason="advice")
claim("Q54.24", quote="因为新数据集足够大，可以重新训练",
      statement="Large and different new data: the network can be trained from scratch.",
      kind=Kind.OPINION, reason="advice")
claim("Q54.25", quote="但是实践中 fine-tune 预训练模型还是有益的",
      statement="Even then, initialising from a pre-trained model is beneficial in practice.",
      kind=Kind.EMPIRICAL, note="Pending (needs a pre-trained model).")
claim("Q54.26", quote="使用预训练模型，受限于其网络架构",
      statement="Using a pre-trained model constrains the architecture.", kind=Kind.OPINION,
      reason="a general remark")
claim("Q54.27", quote="因为参数共享，可以输入任意大小图像",
      statement="Thanks to parameter sharing, convolution/pooling layers accept images of any "
                "size.", kind=Kind.EXACT,
      check=Exact(conv_any_size, method="a conv/pool stack on 32, 57, 100 px inputs"),
      expect=Verdict.SUPPORTED,
      note="True of the convolutional part; a network ending in fully connected layers still "
           "needs a fixed size (Q54.29).")
claim("Q54.28", quote="其输出大小和属于大小相关",
      statement="Conv and pooling outputs have a size that depends on the input size "
                "(floor((n + 2p - k)/s) + 1).", kind=Kind.EXACT,
      check=Exact(conv_output_depends_on_input, method="torch output shapes vs the formula"),
      expect=Verdict.SUPPORTED)
claim("Q54.29", quote="全连接层对输入大小没有要求",
      statement="A fully connected layer places no requirement on its input size.",
      kind=Kind.EXACT, check=Exact(fc_any_input, method="nn.Linear(100, 10) on inputs of size "
                                   "100, 101, 50"),
      expect=Verdict.REFUTED,
      note="False: a dense layer's weight matrix fixes its input size. CS231n says the opposite "
           "('fully connected layers ... require a fixed input size', unless converted to "
           "convolutions); the seed mistranslates.")
claim("Q54.30", quote="输出大小固定",
      statement="A fully connected layer's output size is fixed.", kind=Kind.EXACT,
      check=Exact(fc_fixed_output, method="nn.Linear output shape"), expect=Verdict.SUPPORTED)
claim("Q54.31", quote="与重新训练相比，fine-tune 要使用更小的学习率",
      statement="Fine-tuning should use a smaller learning rate than training from scratch.",
      kind=Kind.OPINION, reason="advice")
claim("Q54.32", quote="因为训练好的网络模型权重已经平滑，我们不希望太快扭曲（distort）它们",
      statement="The pre-trained weights are already good and should not be distorted quickly.",
      kind=Kind.OPINION, reason="the rationale of the advice")
claim("Q54.33", quote="CNN Features off-the-shelf: an Astounding Baseline for Recognition",
      statement="Razavian et al. (2014) train SVMs on ImageNet-pretrained features and report "
                "several state-of-the-art results.", kind=Kind.CITATION,
      reason="a correct description of the paper; not re-checked")
claim("Q54.34", quote="DeCAF2013年报告了类似发现",
      statement="DeCAF reported similar findings in 2013.", kind=Kind.CITATION,
      reason="Donahue et al., arXiv 2013; correct")
claim("Q54.35", quote="这篇论文使用的框架接口为Python，实现是caffe的c++",
      statement="DeCAF's framework had a Python interface with a C++ (Caffe) implementation.",
      kind=Kind.CITATION, reason="an attribution, not checkable here",
      note="Mistranslated: CS231n says DeCAF was a Python-based precursor of the C++ Caffe "
           "library.")
claim("Q54.36", quote="How transferable are features in deep neural networks?",
      statement="Yosinski et al. (2014) study transfer learning in detail, including findings "
                "on layer co-adaptations.", kind=Kind.CITATION,
      reason="a correct description of the paper",
      note="'一些大学发现' mistranslates 'some unintuitive findings'.")
