"""Q67. 请阐述下卷积神经网络CNN的基本原理 — Explain the basic principles of CNNs.

The answer consists of two links only; there is no statement to test.
"""
from harness import Kind, claim

claim("Q67.1", quote="[《CNN笔记：通俗理解卷积神经网络》](http://blog.csdn.net/v_july_v/article/details/51812459)",
      statement="The answer refers to the blog post 'CNN notes: an accessible introduction to "
                "convolutional neural networks' (v_JULY_v, CSDN).", kind=Kind.CITATION,
      reason="a reference, no claim of its own")
claim("Q67.2", quote="[请详细说说CNN的工作原理](./07-请详细说说CNN的工作原理.md)",
      statement="The answer refers to another note of the same collection on how CNNs work.",
      kind=Kind.CITATION, reason="a reference to a file not in the seed")
