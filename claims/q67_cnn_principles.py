"""Q67. 请阐述下卷积神经网络CNN的基本原理 -- Explain the basic principles of CNNs.

The answer consists of two links and states nothing of its own: a blog post (checked against
the references table for its title, author and address) and a relative link to another note of
the collection the text was taken from, which is not part of the text. The principles such an
answer would state (local connectivity, weight sharing and translation equivariance, parameter
counts, down-sampling, receptive fields) are checked where the text states them, in Q60.
"""

from harness import Kind, Verdict, cites, claim, departure

departure(
    67,
    "The answer gives no explanation, only two links; the second is a relative link "
    "('./07-请详细说说CNN的工作原理.md') to a note of the original collection that the "
    "text does not contain (the same pair of links answers question 34 of another "
    "index of that collection, 请详细说说CNN的工作原理).",
    claims=("Q67.2",),
)

claim(
    "Q67.1",
    quote="[《CNN笔记：通俗理解卷积神经网络》](http://blog.csdn.net/v_july_v/article/details/51812459)",
    kind=Kind.CITATION,
    statement="The answer refers to the blog post 'CNN笔记：通俗理解卷积神经网络' (CNN notes: "
    "an accessible introduction to convolutional neural networks) by July "
    "(v_JULY_v) on CSDN, at the address given.",
    check=cites("july2016cnn", "title-url"),
    note="Title, author and address are corroborated by other pages linking it; the post's "
    "content was not available to read, and the text quotes none of it.",
    expect=Verdict.SUPPORTED,
)

claim(
    "Q67.2",
    quote="[请详细说说CNN的工作原理](./07-请详细说说CNN的工作原理.md)",
    kind=Kind.CITATION,
    statement="The answer refers to another note of the same collection on how CNNs work.",
    reason="a relative link to a file outside the text; no stored repository holds it, and "
    "the link states nothing to check",
)
