"""Q57. 请阐述下 Selective Search 的主要思想 — Explain the main idea of Selective Search.

The hierarchical grouping and the region features are ``experiments.detection.Region`` and
``hierarchical_grouping``, written after Uijlings et al. (2013); the similarity measures are
theirs (colour histogram intersection, size, fill).
"""
import numpy as np
from hypothesis import given, settings, strategies as st

from experiments import detection as det
from harness import Exact, Kind, Verdict, claim

SETTINGS = settings(max_examples=100, deadline=None, derandomize=True)
BINS = 8


def grid_regions(rows, cols, seed):
    """A rows x cols grid of unit-square regions (10x10 pixels each) with random colour
    histograms; 4-neighbour adjacency."""
    rng = np.random.default_rng(seed)
    regions, adjacency = [], set()
    for r in range(rows):
        for c in range(cols):
            name = f"<{r},{c}>"
            regions.append(det.Region(name, 100, (10 * c, 10 * r, 10 * c + 10, 10 * r + 10),
                                      rng.dirichlet(np.ones(BINS))))
            if r:
                adjacency.add(frozenset((name, f"<{r - 1},{c}>")))
            if c:
                adjacency.add(frozenset((name, f"<{r},{c - 1}>")))
    return regions, adjacency, 100.0 * rows * cols


def combined(a, b, image_size):
    return det.sim_colour(a, b) + det.sim_size(a, b, image_size) + det.sim_fill(a, b, image_size)


def merges_to_one_region():
    @SETTINGS
    @given(st.integers(1, 5), st.integers(1, 5), st.integers(0, 10_000))
    def prop(rows, cols, seed):
        regions, adjacency, image = grid_regions(rows, cols, seed)
        levels, proposals = det.hierarchical_grouping(regions, adjacency, combined, image)
        n = rows * cols
        assert len(levels[-1]) == 1 and len(levels) == n, (len(levels), n)
        assert proposals[-1].size == image
        assert len(proposals) == 2 * n - 1
    prop()


def chain(names, sizes=None):
    sizes = sizes or [1.0] * len(names)
    regions, x = [], 0.0
    for name, s in zip(names, sizes):
        regions.append(det.Region(name, s, (x, 0, x + s, 1), np.ones(BINS) / BINS))
        x += s
    adjacency = {frozenset(p) for p in zip(names, names[1:])}
    return regions, adjacency, float(sum(sizes))


def size_rule_example():
    regions, adjacency, image = chain(list("abcdefgh"))
    levels, _ = det.hierarchical_grouping(
        regions, adjacency, lambda a, b, im: det.sim_size(a, b, im), image)
    seen = ["-".join(lv) for lv in levels]
    wanted = ["ab-cd-ef-gh", "abcd-efgh", "abcdefgh"]
    assert all(w in seen for w in wanted), seen
    no_size, _ = det.hierarchical_grouping(regions, adjacency, combined_no_size, image)
    return True, ("size rule: " + " -> ".join(seen[4:]) + "; without it (colour+fill, ties "
                  "left first): " + " -> ".join("-".join(lv) for lv in no_size[1:4]) + " ...")


def combined_no_size(a, b, image_size):
    return det.sim_colour(a, b) + det.sim_fill(a, b, image_size)


def size_rule_balanced():
    @settings(max_examples=6, deadline=None, derandomize=True)
    @given(st.integers(1, 6))
    def prop(k):
        names = [f"r{i}," for i in range(2 ** k)]
        regions, adjacency, image = chain(names)
        _, proposals = det.hierarchical_grouping(
            regions, adjacency, lambda a, b, im: det.sim_size(a, b, im), image)
        sizes = [p.size for p in proposals]
        assert all(s & (s - 1) == 0 for s in map(int, sizes)), sizes  # powers of two: balanced
    prop()


def fill_prefers_regular_shapes():
    image = 400.0
    h = np.ones(BINS) / BINS
    a = det.Region("a", 100, (0, 0, 10, 10), h)
    side = det.Region("b", 100, (10, 0, 20, 10), h)       # a+b is a 20x10 rectangle
    diagonal = det.Region("c", 100, (10, 10, 20, 20), h)  # a+c is two squares of a 20x20 box
    f_rect, f_diag = det.sim_fill(a, side, image), det.sim_fill(a, diagonal, image)
    assert f_rect == 1.0 and f_diag < f_rect
    return True, f"fill(a, side) = {f_rect}, fill(a, diagonal) = {f_diag}"


@st.composite
def pixel_sets(draw):
    n = draw(st.integers(1, 40))
    xs = draw(st.lists(st.integers(0, 50), min_size=n, max_size=n))
    ys = draw(st.lists(st.integers(0, 50), min_size=n, max_size=n))
    colours = draw(st.lists(st.integers(0, BINS - 1), min_size=n, max_size=n))
    return np.asarray(xs), np.asarray(ys), np.asarray(colours)


def region_of(name, xs, ys, colours):
    hist = np.bincount(colours, minlength=BINS) / len(colours)
    return det.Region(name, len(xs), (xs.min(), ys.min(), xs.max() + 1, ys.max() + 1), hist)


def merged_features_from_parts():
    @SETTINGS
    @given(pixel_sets(), pixel_sets())
    def prop(p, q):
        a, b = region_of("a", *p), region_of("b", *q)
        direct = region_of("ab", *(np.concatenate(pair) for pair in zip(p, q)))
        merged = a.merge(b)
        assert merged.size == direct.size and merged.bbox == direct.bbox
        np.testing.assert_allclose(merged.hist, direct.hist, atol=1e-12)
    prop()


claim("Q57.1", quote="使用一种过分割手段，将图像分割成小区域",
      statement="Selective Search starts from an over-segmentation of the image into small "
                "regions.", kind=Kind.CITATION,
      reason="describes Uijlings et al. 2013 (initial regions from Felzenszwalb-Huttenlocher "
             "graph segmentation); a description of the method")
claim("Q57.2", quote="(1k~2k 个)",
      statement="The initial over-segmentation has about 1,000-2,000 regions.",
      kind=Kind.EMPIRICAL,
      note="Depends on the image size and the segmentation's scale parameter k; testing it "
           "needs Felzenszwalb segmentation of natural images (scikit-image is not installed). "
           "Pending.")
claim("Q57.3", quote="按照合并规则合并可能性最高的相邻两个区域",
      statement="At each step the two adjacent regions with the highest similarity are merged.",
      kind=Kind.DEFINITIONAL, reason="describes the method (implemented as "
                                     "experiments.detection.hierarchical_grouping)")
claim("Q57.4", quote="重复直到整张图像合并成一个区域",
      statement="Repeating the merge ends with one region covering the whole image, after n-1 "
                "merges of n initial regions (the adjacency graph being connected).",
      kind=Kind.EXACT, check=Exact(merges_to_one_region,
                                   method="hypothesis: random grids of up to 5x5 regions with "
                                          "random colour histograms"),
      expect=Verdict.SUPPORTED)
claim("Q57.5", quote="输出所有曾经存在过的区域，所谓候选区域",
      statement="The proposals are all regions that ever existed: 2n-1 of them for n initial "
                "regions.", kind=Kind.DEFINITIONAL,
      reason="describes the output; its count 2n-1 is checked within Q57.4")
claim("Q57.6", quote="优先合并以下四种区域",
      statement="Merging uses four similarity criteria (colour, texture, size, fill).",
      kind=Kind.CITATION, reason="agrees with Uijlings et al. 2013, who combine these four "
                                 "similarities; an attribution",
      note="The text lists three as bullets and the fourth (fill) as a separate paragraph.")
claim("Q57.7", quote="颜色（颜色直方图）相近的",
      statement="Regions with similar colour histograms are merged first.", kind=Kind.DEFINITIONAL,
      reason="describes a merge criterion (colour histogram intersection)")
claim("Q57.8", quote="纹理（梯度直方图）相近的",
      statement="Regions with similar texture (gradient-orientation histograms) are merged first.",
      kind=Kind.DEFINITIONAL, reason="describes a merge criterion (SIFT-like gradient histograms)")
claim("Q57.9", quote="ab-cd-ef-gh -> abcd-efgh -> abcdefgh",
      statement="On a row of equal regions a-h, greedy merging by the size rule gives "
                "ab-cd-ef-gh -> abcd-efgh -> abcdefgh.",
      kind=Kind.EXACT, check=Exact(size_rule_example, method="hierarchical grouping of the "
                                   "example with the size similarity alone"),
      expect=Verdict.SUPPORTED)
claim("Q57.10", quote="避免一个大区域陆续“吃掉”其他小区域",
      statement="The size rule keeps merging at a uniform scale: on a row of 2^k equal regions "
                "every region it ever forms has a power-of-two size (a balanced hierarchy), so no "
                "region grows by absorbing small ones one at a time.",
      kind=Kind.EXACT, check=Exact(size_rule_balanced, method="hypothesis: k = 1..6"),
      expect=Verdict.SUPPORTED)
claim("Q57.11", quote="总面积在其 BBOX 中所占比例大的： 保证合并后形状规则",
      statement="The fill rule prefers pairs that fill their joint bounding box: two squares "
                "forming a rectangle score fill 1, two diagonal squares less.",
      kind=Kind.EXACT, check=Exact(fill_prefers_regular_shapes, method="fill similarity on two "
                                   "configurations"),
      expect=Verdict.SUPPORTED)
claim("Q57.12", quote="上述四条规则只涉及区域的颜色直方图、梯度直方图、面积和位置",
      statement="The four rules use only colour histograms, gradient histograms, size and "
                "position (bounding box).", kind=Kind.DEFINITIONAL,
      reason="describes the method's inputs")
claim("Q57.13", quote="合并后的区域特征可以直接由子区域特征计算而来",
      statement="The merged region's features (size, bounding box, normalised histogram) follow "
                "from the parts' features alone and equal those computed from its pixels.",
      kind=Kind.EXACT, check=Exact(merged_features_from_parts,
                                   method="hypothesis: random pixel sets; size-weighted histogram "
                                          "average vs direct histogram"),
      expect=Verdict.SUPPORTED)
claim("Q57.14", quote="速度较快",
      statement="Propagating features this way makes the grouping fast.", kind=Kind.EMPIRICAL,
      note="A timing claim relative to recomputing from pixels; obvious in cost terms (O(bins) "
           "vs O(pixels) per merge) but not measured here. Pending.")
claim("Q57.15", quote="本题解析来源：https://zhuanlan.zhihu.com/p/23006190",
      statement="The answer is taken from a Zhihu column post.", kind=Kind.CITATION,
      reason="a source attribution, not checked")
