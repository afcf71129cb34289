"""Object-detection building blocks under test (questions 55-59 of the seed) and the two
detection experiments (Q56, Q57).

Plain numpy implementations, written from the seed's descriptions and the papers they cite:
IoU, greedy non-maximum suppression (NMS), the R-CNN bounding-box transforms (1)-(4) and
their targets (6)-(9), Faster R-CNN anchors, and Selective Search (Uijlings et al. 2013): the
Felzenszwalb-Huttenlocher over-segmentation it starts from, its region features (colour and
texture histograms, size, bounding box), its four similarities and its greedy hierarchical
grouping. Boxes are ``(x1, y1, x2, y2)`` corners with x2 > x1, y2 > y1 (pixel boxes: x2, y2
exclusive) unless stated otherwise.

Experiments (generated images, one image set per seed):

* ``selective_search`` -- scenes of 128 x 128 pixels with three objects: selective search
  against exhaustive (sliding-window) search at the same localisation quality, feature
  propagation against recomputation from pixels, and the size and fill similarities ablated.
* ``bbox_regression`` -- one object per 64 x 64 image, proposals at every overlap, a linear
  (ridge) regressor of the R-CNN targets on a fixed feature map of the warped proposal.
"""

from __future__ import annotations

import heapq
import itertools
import time

import numpy as np
from scipy import ndimage

from harness import experiment, positive, real

from . import rng


# --------------------------------------------------------------------------- IoU (Q55)
def area(box) -> float:
    x1, y1, x2, y2 = box
    return max(0.0, x2 - x1) * max(0.0, y2 - y1)


def intersection(a, b) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return max(0.0, w) * max(0.0, h)


def iou(a, b) -> float:
    """|a ∩ b| / |a ∪ b| for two axis-aligned boxes."""
    inter = intersection(a, b)
    union = area(a) + area(b) - inter
    return inter / union if union > 0 else 0.0


def iou_matrix(boxes, others=None) -> np.ndarray:
    """IoU of every box of ``boxes`` with every box of ``others`` (default: ``boxes``)."""
    a = np.asarray(boxes, float).reshape(-1, 4)
    b = a if others is None else np.asarray(others, float).reshape(-1, 4)
    x1 = np.maximum(a[:, None, 0], b[None, :, 0])
    y1 = np.maximum(a[:, None, 1], b[None, :, 1])
    x2 = np.minimum(a[:, None, 2], b[None, :, 2])
    y2 = np.minimum(a[:, None, 3], b[None, :, 3])
    inter = np.clip(x2 - x1, 0, None) * np.clip(y2 - y1, 0, None)
    area_a = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])
    area_b = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    union = area_a[:, None] + area_b[None, :] - inter
    return np.where(union > 0, inter / np.where(union > 0, union, 1), 0.0)


def paired_iou(a, b) -> np.ndarray:
    """IoU of each box of ``a`` with the box of ``b`` in the same row."""
    a, b = np.asarray(a, float).reshape(-1, 4), np.asarray(b, float).reshape(-1, 4)
    w = np.clip(np.minimum(a[:, 2], b[:, 2]) - np.maximum(a[:, 0], b[:, 0]), 0, None)
    h = np.clip(np.minimum(a[:, 3], b[:, 3]) - np.maximum(a[:, 1], b[:, 1]), 0, None)
    inter = w * h
    union = (
        (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])
        + (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
        - inter
    )
    return np.where(union > 0, inter / np.where(union > 0, union, 1), 0.0)


def pixel_iou(a, b) -> float:
    """IoU of integer boxes by counting pixels on a grid: the definition, computed literally."""
    size = int(max(a[2], b[2], a[3], b[3])) + 1
    grid_a = np.zeros((size, size), bool)
    grid_b = np.zeros((size, size), bool)
    grid_a[int(a[1]) : int(a[3]), int(a[0]) : int(a[2])] = True
    grid_b[int(b[1]) : int(b[3]), int(b[0]) : int(b[2])] = True
    union = np.logical_or(grid_a, grid_b).sum()
    return float(np.logical_and(grid_a, grid_b).sum() / union) if union else 0.0


# --------------------------------------------------------------------------- NMS (Q58)
def score_order(scores) -> np.ndarray:
    """Indices by descending score; ties broken by the lower index (a stable order)."""
    return np.argsort(-np.asarray(scores, float), kind="stable")


def nms(boxes, scores, threshold: float) -> list[int]:
    """Greedy NMS as the seed describes it: take the highest-scoring remaining box, keep it,
    discard every remaining box whose IoU with it exceeds ``threshold``, repeat.
    Returns the kept indices in the order they were kept."""
    remaining = list(score_order(scores))
    kept: list[int] = []
    while remaining:
        best = remaining.pop(0)
        kept.append(int(best))
        remaining = [i for i in remaining if iou(boxes[best], boxes[i]) <= threshold]
    return kept


def nms_matrix(boxes, scores, threshold: float) -> list[int]:
    """A second, independently written formulation: walk the boxes in score order over a
    precomputed IoU matrix; a box survives unless a surviving higher-scoring box overlaps it
    above the threshold."""
    order = score_order(scores)
    overlaps = iou_matrix(np.asarray(boxes, float)[order]) > threshold
    alive = np.ones(len(order), bool)
    for i in range(len(order)):
        if alive[i]:
            alive[i + 1 :] &= ~overlaps[i, i + 1 :]
    return [int(order[i]) for i in range(len(order)) if alive[i]]


_TV_NMS = []


def _torchvision_nms():
    if not _TV_NMS:
        try:
            from torchvision.ops import nms as tv_nms
        except Exception:  # noqa: BLE001 - torchvision often fails to import beside a CPU torch
            tv_nms = None
        _TV_NMS.append(tv_nms)
    return _TV_NMS[0]


def nms_torchvision(boxes, scores, threshold: float):
    """torchvision.ops.nms, or None when torchvision cannot be imported."""
    tv_nms = _torchvision_nms()
    if tv_nms is None:
        return None
    import torch

    keep = tv_nms(
        torch.as_tensor(np.asarray(boxes), dtype=torch.float64),
        torch.as_tensor(np.asarray(scores), dtype=torch.float64),
        threshold,
    )
    return [int(i) for i in keep]


def local_maxima(boxes, scores, threshold: float) -> list[int]:
    """Boxes with no higher-scoring box in their neighbourhood (IoU > threshold)."""
    m = iou_matrix(boxes)
    s = np.asarray(scores, float)
    n = len(s)
    return [
        i
        for i in range(n)
        if not any(
            m[i, j] > threshold and (s[j] > s[i] or (s[j] == s[i] and j < i))
            for j in range(n)
            if j != i
        )
    ]


# ------------------------------------------------------------- bounding-box regression (Q56)
def to_center(box) -> np.ndarray:
    x1, y1, x2, y2 = np.asarray(box, float).T
    return np.stack([(x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1], axis=-1)


def to_corners(cbox) -> np.ndarray:
    x, y, w, h = np.asarray(cbox, float).T
    return np.stack([x - w / 2, y - h / 2, x + w / 2, y + h / 2], axis=-1)


def encode(proposal, truth) -> np.ndarray:
    """R-CNN regression targets (6)-(9) of a proposal P and a ground-truth box G, both
    (x, y, w, h) centre boxes: t = ((Gx-Px)/Pw, (Gy-Py)/Ph, log(Gw/Pw), log(Gh/Ph))."""
    px, py, pw, ph = np.asarray(proposal, float).T
    gx, gy, gw, gh = np.asarray(truth, float).T
    return np.stack([(gx - px) / pw, (gy - py) / ph, np.log(gw / pw), np.log(gh / ph)], axis=-1)


def decode(proposal, d) -> np.ndarray:
    """R-CNN transforms (1)-(4) of a proposal P by d:
    Ĝ = (Pw dx + Px, Ph dy + Py, Pw exp(dw), Ph exp(dh))."""
    px, py, pw, ph = np.asarray(proposal, float).T
    dx, dy, dw, dh = np.asarray(d, float).T
    return np.stack([pw * dx + px, ph * dy + py, pw * np.exp(dw), ph * np.exp(dh)], axis=-1)


def ridge(phi: np.ndarray, t: np.ndarray, lam: float) -> np.ndarray:
    """argmin_w ||phi w - t||^2 + lam ||w||^2 in closed form (one column of w per target)."""
    d = phi.shape[1]
    return np.linalg.solve(phi.T @ phi + lam * np.eye(d), phi.T @ t)


# --------------------------------------------------------------------------- anchors (Q59)
def anchors(
    center=(0.0, 0.0), base: float = 16.0, scales=(8, 16, 32), ratios=(0.5, 1.0, 2.0)
) -> np.ndarray:
    """Faster R-CNN anchors at one sliding position: for each scale s and aspect ratio
    r = h / w, a box of area (base * s)^2 centred on ``center``. Returns (len(s)*len(r), 4)
    corner boxes."""
    cx, cy = center
    out = []
    for s, r in itertools.product(scales, ratios):
        size = base * s
        w = size / np.sqrt(r)
        h = size * np.sqrt(r)
        out.append([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2])
    return np.asarray(out)


# ------------------------------------------------ Selective Search: over-segmentation (Q57)
def felzenszwalb(image, k: float, sigma: float = 0.8, min_size: int | None = None) -> np.ndarray:
    """Felzenszwalb & Huttenlocher (2004) graph-based segmentation, the over-segmentation
    Selective Search starts from: Gaussian smoothing (``sigma``), an 8-connected pixel graph
    weighted by the colour distance, edges merged in increasing weight while the weight is
    below both components' internal difference + k / size; then components smaller than
    ``min_size`` (default k, as Selective Search sets it) are merged into a neighbour.
    Returns an (h, w) array of region labels 0..n-1."""
    img = np.asarray(image, float)
    if img.ndim == 2:
        img = img[..., None]
    h, w = img.shape[:2]
    if sigma > 0:
        img = np.stack(
            [
                ndimage.gaussian_filter(img[..., c], sigma, truncate=4.0)
                for c in range(img.shape[2])
            ],
            -1,
        )
    idx = np.arange(h * w).reshape(h, w)
    a_parts, b_parts, d_parts = [], [], []
    for dy, dx in ((0, 1), (1, 0), (1, 1), (-1, 1)):
        y0, y1 = max(0, -dy), h - max(0, dy)
        a_sl = (slice(y0, y1), slice(0, w - dx))
        b_sl = (slice(y0 + dy, y1 + dy), slice(dx, w))
        a_parts.append(idx[a_sl].ravel())
        b_parts.append(idx[b_sl].ravel())
        d_parts.append(np.sqrt(((img[a_sl] - img[b_sl]) ** 2).sum(-1)).ravel())
    d = np.concatenate(d_parts)
    order = np.argsort(d, kind="stable")
    a = np.concatenate(a_parts)[order].tolist()
    b = np.concatenate(b_parts)[order].tolist()
    d = d[order].tolist()
    parent = list(range(h * w))
    size = [1] * (h * w)
    threshold = [float(k)] * (h * w)

    def find(x):
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    for u, v, weight in zip(a, b, d):
        ru, rv = find(u), find(v)
        if ru != rv and weight <= threshold[ru] and weight <= threshold[rv]:
            if size[ru] < size[rv]:
                ru, rv = rv, ru
            parent[rv] = ru
            size[ru] += size[rv]
            threshold[ru] = weight + k / size[ru]
    smallest = k if min_size is None else min_size
    for u, v in zip(a, b):
        ru, rv = find(u), find(v)
        if ru != rv and (size[ru] < smallest or size[rv] < smallest):
            if size[ru] < size[rv]:
                ru, rv = rv, ru
            parent[rv] = ru
            size[ru] += size[rv]
    roots = np.fromiter((find(i) for i in range(h * w)), int, h * w)
    return np.unique(roots, return_inverse=True)[1].reshape(h, w)


def natural_images(max_side: int = 500) -> dict[str, np.ndarray]:
    """The two photographs that ship with scikit-learn (china.jpg, flower.jpg), resized
    (bilinear) to a longest side of ``max_side`` pixels -- the size of PASCAL VOC images,
    on which Selective Search was evaluated."""
    from pathlib import Path

    from PIL import Image
    from sklearn.datasets import load_sample_images

    data = load_sample_images()
    out = {}
    for name, im in zip(data.filenames, data.images):
        pil = Image.fromarray(im)
        s = max_side / max(pil.size)
        pil = pil.resize((round(pil.size[0] * s), round(pil.size[1] * s)), Image.BILINEAR)
        out[Path(name).name] = np.asarray(pil)
    return out


# ------------------------------------------------ Selective Search: regions and features (Q57)
COLOUR_BINS = 25  # per colour channel (Uijlings et al.): a 75-dimensional histogram
TEXTURE_BINS = 10  # per orientation and channel; 8 orientations: 240 dimensions


class Region:
    """A region of Selective Search: its pixels' count, bounding box, L1-normalised colour
    histogram and (optionally) texture histogram -- the features the merge rules use."""

    def __init__(self, name: str, size: float, bbox, hist, texture=None):
        self.name, self.size = name, float(size)
        self.bbox = tuple(float(v) for v in bbox)
        self.hist = np.asarray(hist, float)
        self.texture = None if texture is None else np.asarray(texture, float)

    def merge(self, other: Region) -> Region:
        """The merged region's features from its parts alone (no pixels needed): sizes add,
        bounding boxes join, histograms are size-weighted averages."""
        size = self.size + other.size
        hist = (self.size * self.hist + other.size * other.hist) / size
        texture = None
        if self.texture is not None and other.texture is not None:
            texture = (self.size * self.texture + other.size * other.texture) / size
        bbox = (
            min(self.bbox[0], other.bbox[0]),
            min(self.bbox[1], other.bbox[1]),
            max(self.bbox[2], other.bbox[2]),
            max(self.bbox[3], other.bbox[3]),
        )
        return Region(self.name + other.name, size, bbox, hist, texture)


def sim_colour(a: Region, b: Region, image_size: float = 0.0) -> float:
    """Histogram intersection of the colour histograms (Uijlings et al. 2013)."""
    return float(np.minimum(a.hist, b.hist).sum())


def sim_texture(a: Region, b: Region, image_size: float = 0.0) -> float:
    return float(np.minimum(a.texture, b.texture).sum())


def sim_size(a: Region, b: Region, image_size: float) -> float:
    return 1.0 - (a.size + b.size) / image_size


def sim_fill(a: Region, b: Region, image_size: float) -> float:
    bb = (
        min(a.bbox[0], b.bbox[0]),
        min(a.bbox[1], b.bbox[1]),
        max(a.bbox[2], b.bbox[2]),
        max(a.bbox[3], b.bbox[3]),
    )
    bb_size = (bb[2] - bb[0]) * (bb[3] - bb[1])
    return 1.0 - (bb_size - a.size - b.size) / image_size


SIMILARITIES = {"C": sim_colour, "T": sim_texture, "S": sim_size, "F": sim_fill}


def combined_similarity(letters: str):
    """s = the sum of the chosen similarities: "CTSF" is colour + texture + size + fill."""
    parts = [SIMILARITIES[c] for c in letters]

    def similarity(a, b, image_size):
        return sum(f(a, b, image_size) for f in parts)

    return similarity


def pixel_codes(image: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per pixel, the histogram bin it adds to: colour (h*w, 3) in 0..74 and texture
    (h*w, 24) in 0..239. Texture: Gaussian derivatives (sigma 1) of each channel in 8
    orientations (half-wave rectified), each binned in 10 bins over [0, its image maximum]."""
    img = np.asarray(image, float)
    h, w, channels = img.shape
    colour = np.minimum((img / 256.0 * COLOUR_BINS).astype(int), COLOUR_BINS - 1)
    colour = (colour + COLOUR_BINS * np.arange(channels)).reshape(h * w, channels)
    texture = []
    for c in range(channels):
        gy = ndimage.gaussian_filter(img[..., c], 1.0, order=(1, 0))
        gx = ndimage.gaussian_filter(img[..., c], 1.0, order=(0, 1))
        for o in range(8):
            theta = o * np.pi / 4
            r = np.maximum(np.cos(theta) * gx + np.sin(theta) * gy, 0.0)
            top = r.max()
            bins = (
                np.zeros(r.shape, int)
                if top <= 0
                else np.minimum((r / top * TEXTURE_BINS).astype(int), TEXTURE_BINS - 1)
            )
            texture.append(bins.ravel() + TEXTURE_BINS * (c * 8 + o))
    return colour, np.stack(texture, 1)


def histogram(codes: np.ndarray, length: int) -> np.ndarray:
    """L1-normalised histogram of the bin codes of a set of pixels."""
    counts = np.bincount(codes.ravel(), minlength=length).astype(float)
    return counts / counts.sum()


def initial_regions(image: np.ndarray, labels: np.ndarray):
    """The regions of an over-segmentation with their features, their 4-adjacency, and each
    region's pixel indices."""
    w = labels.shape[1]
    n = int(labels.max()) + 1
    flat = labels.ravel()
    colour, texture = pixel_codes(image)
    order = np.argsort(flat, kind="stable")
    starts = np.searchsorted(flat[order], np.arange(n + 1))
    pixels = [order[starts[i] : starts[i + 1]] for i in range(n)]
    regions = []
    for i, p in enumerate(pixels):
        ys, xs = np.divmod(p, w)
        regions.append(
            Region(
                str(i),
                len(p),
                (xs.min(), ys.min(), xs.max() + 1, ys.max() + 1),
                histogram(colour[p], 3 * COLOUR_BINS),
                histogram(texture[p], 24 * TEXTURE_BINS),
            )
        )
    pairs = set()
    for a, b in ((labels[:, :-1], labels[:, 1:]), (labels[:-1, :], labels[1:, :])):
        m = a != b
        lo, hi = np.minimum(a[m], b[m]), np.maximum(a[m], b[m])
        pairs.update(zip(lo.tolist(), hi.tolist()))
    return regions, pairs, pixels, (colour, texture)


# ------------------------------------------------ Selective Search: hierarchical grouping (Q57)
def greedy_grouping(regions: list[Region], adjacency, similarity, image_size: float):
    """Greedy hierarchical grouping: repeatedly merge the most similar adjacent pair (ties:
    the pair of earliest-created regions) until no adjacent pair is left. Regions are
    numbered in creation order (the initial ones 0..n-1, then one per merge); ``adjacency``
    holds pairs of those numbers (or of names). Returns every region that ever existed (the
    proposals, in creation order) and the merges as (a, b) creation numbers."""
    regions = list(regions)
    index = {r.name: i for i, r in enumerate(regions)}
    neighbours: dict[int, set] = {i: set() for i in range(len(regions))}
    for pair in adjacency:
        a, b = (index[p] if isinstance(p, str) else int(p) for p in pair)
        if a != b:
            neighbours[a].add(b)
            neighbours[b].add(a)
    heap = [
        (-similarity(regions[a], regions[b], image_size), a, b)
        for a in neighbours
        for b in neighbours[a]
        if a < b
    ]
    heapq.heapify(heap)
    alive = set(range(len(regions)))
    merges = []
    while heap:
        _, a, b = heapq.heappop(heap)
        if a not in alive or b not in alive:
            continue
        new = len(regions)
        regions.append(regions[a].merge(regions[b]))
        merges.append((a, b))
        alive -= {a, b}
        around = (neighbours.pop(a) | neighbours.pop(b)) - {a, b}
        neighbours[new] = around
        for c in around:
            neighbours[c] -= {a, b}
            neighbours[c].add(new)
            heapq.heappush(heap, (-similarity(regions[c], regions[new], image_size), c, new))
        alive.add(new)
    return regions, merges


def hierarchical_grouping(regions: list[Region], adjacency, similarity, image_size: float):
    """:func:`greedy_grouping` with the regions present after each merge: returns the merge
    levels (names, ordered by their first initial region) and every region that ever existed
    (the proposals)."""
    n = len(regions)
    proposals, merges = greedy_grouping(regions, adjacency, similarity, image_size)
    first = list(range(n))
    present = list(range(n))
    levels = [[r.name for r in regions]]
    for a, b in merges:
        first.append(min(first[a], first[b]))
        present = [i for i in present if i not in (a, b)] + [len(first) - 1]
        levels.append([proposals[i].name for i in sorted(present, key=first.__getitem__)])
    return levels, proposals


def leaf_depths(n: int, merges) -> np.ndarray:
    """For each initial region, the number of merges above it up to the root."""
    parent = {}
    for k, (a, b) in enumerate(merges):
        parent[a] = parent[b] = n + k
    depth = np.zeros(n, int)
    for leaf in range(n):
        node = leaf
        while node in parent:
            node = parent[node]
            depth[leaf] += 1
    return depth


def fill_ratios(proposals: list[Region], n: int) -> np.ndarray:
    """Share of its bounding box each merged region fills (initial regions and the root, the
    same for every similarity, left out)."""
    merged = proposals[n:-1]
    return np.array([r.size / ((r.bbox[2] - r.bbox[0]) * (r.bbox[3] - r.bbox[1])) for r in merged])


def features_by_propagation(proposals, merges, n):
    """Each merged region's histograms from its parts' (Uijlings et al.: size-weighted
    averages), and the values read doing so."""
    hists, read = [], 0
    colour = [r.hist for r in proposals[:n]]
    texture = [r.texture for r in proposals[:n]]
    size = [r.size for r in proposals[:n]]
    for a, b in merges:
        s = size[a] + size[b]
        colour.append((size[a] * colour[a] + size[b] * colour[b]) / s)
        texture.append((size[a] * texture[a] + size[b] * texture[b]) / s)
        size.append(s)
        read += 2 * (len(colour[a]) + len(texture[a]) + 1)
        hists.append((colour[-1], texture[-1]))
    return hists, read


def features_from_pixels(pixels, codes, merges):
    """Each merged region's histograms recomputed from its pixels, and the values read."""
    colour_codes, texture_codes = codes
    members = list(pixels)
    hists, read = [], 0
    for a, b in merges:
        p = np.concatenate((members[a], members[b]))
        members.append(p)
        hists.append(
            (
                histogram(colour_codes[p], 3 * COLOUR_BINS),
                histogram(texture_codes[p], 24 * TEXTURE_BINS),
            )
        )
        read += len(p) * (colour_codes.shape[1] + texture_codes.shape[1])
    return hists, read


def proposal_boxes(proposals) -> np.ndarray:
    """The distinct bounding boxes of the proposals (Selective Search's locations)."""
    return np.unique(np.array([r.bbox for r in proposals]), axis=0)


# ------------------------------------------------ exhaustive (sliding-window) search (Q57)
# densities of the sliding-window family, from one window (the whole image) up; then every box
EXHAUSTIVE_LEVELS = (0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4, 6, 8, 12, 16, 24, 32)


def window_sides(image_side: int, level: float, smallest: int) -> np.ndarray:
    """Window sides of a sliding-window search at density ``level``: from the image side down
    to ``smallest`` in steps of 2^(1/level)."""
    n = int(np.floor(np.log2(image_side / smallest) * level + 1e-9)) + 1
    return np.unique(np.round(image_side * 2.0 ** (-np.arange(n) / level)).astype(int))


def window_positions(image_side: int, side: int, level: float) -> np.ndarray:
    """Start positions of windows of one side: stride = side / (2 level) (at least 1 pixel),
    plus the position flush with the far edge."""
    stride = max(1, round(side / (2 * level)))
    return np.unique(np.r_[np.arange(0, image_side - side + 1, stride), image_side - side])


def best_overlap_1d(lo: float, hi: float, side: int, starts: np.ndarray) -> float:
    """Largest overlap of [lo, hi) with a window [p, p + side) over the given starts: the
    overlap is a trapezoid in p, so the best start is a grid point bracketing its plateau."""
    a, b = sorted((lo, hi - side))
    j = np.searchsorted(starts, [a, b])
    cand = starts[np.unique(np.clip(np.r_[j - 1, j], 0, len(starts) - 1))]
    return float(np.max(np.clip(np.minimum(cand + side, hi) - np.maximum(cand, lo), 0, None)))


def exhaustive_search(gt: np.ndarray, image_side: int, level: float, smallest: int):
    """The sliding-window search at ``level``: every window (w, h) from the side grid (all
    aspect ratios) at every position of its stride grid. Returns the number of windows and,
    for each ground-truth box, the best IoU any of them reaches (exactly)."""
    sides = window_sides(image_side, level, smallest)
    positions = {s: window_positions(image_side, s, level) for s in sides}
    count = sum(len(positions[s]) for s in sides) ** 2
    best = []
    for x1, y1, x2, y2 in gt:
        ox = np.array([best_overlap_1d(x1, x2, s, positions[s]) for s in sides])
        oy = np.array([best_overlap_1d(y1, y2, s, positions[s]) for s in sides])
        inter = ox[:, None] * oy[None, :]
        union = sides[:, None] * sides[None, :] + (x2 - x1) * (y2 - y1) - inter
        best.append(float((inter / union).max()))
    return count, np.array(best)


def warp_scores(
    image: np.ndarray, boxes: np.ndarray, weights: np.ndarray, chunk: int = 8192
) -> np.ndarray:
    """Score every window the way R-CNN does, scaled down: warp it to 8 x 8 pixels (nearest
    neighbour) and apply a linear classifier -- the cheapest per-window evaluation there is."""
    img = np.asarray(image, np.float32)
    grid = (np.arange(8) + 0.5) / 8
    out = []
    for start in range(0, len(boxes), chunk):
        b = np.asarray(boxes[start : start + chunk], np.float32)
        xs = (b[:, 0:1] + grid[None] * (b[:, 2:3] - b[:, 0:1])).astype(int)
        ys = (b[:, 1:2] + grid[None] * (b[:, 3:4] - b[:, 1:2])).astype(int)
        patch = img[ys[:, :, None], xs[:, None, :]]
        out.append(patch.reshape(len(b), -1) @ weights)
    return np.concatenate(out) if out else np.zeros(0)


def random_windows(g: np.random.Generator, n: int, image_side: int, smallest: int) -> np.ndarray:
    w = g.integers(smallest, image_side + 1, n)
    h = g.integers(smallest, image_side + 1, n)
    x = (g.random(n) * (image_side - w + 1)).astype(int)
    y = (g.random(n) * (image_side - h + 1)).astype(int)
    return np.stack([x, y, x + w, y + h], 1)


# ------------------------------------------------ generated scenes (Q57)
def generate_scene(
    g: np.random.Generator,
    side: int = 128,
    n_objects: int = 3,
    smallest: int = 16,
    largest: int = 56,
):
    """An RGB image (0..255) of ``side`` x ``side`` pixels with ``n_objects`` objects.

    Background: a base colour with a linear gradient, a smooth random field (white noise
    blurred with sigma 3 px, about ±30 per channel: blotches an over-segmentation cuts into
    many regions) and pixel noise (sigma 4). Objects: non-overlapping rectangles or ellipses
    (sides ``smallest``..``largest``) of a colour at least 60 away from the background's,
    split into two halves (left/right or top/bottom) whose colours differ by about 25 per
    channel, with pixel noise of sigma 3 or 12 -- objects made of parts, as the grouping must
    put them together. Returns the image and the objects' boxes."""
    base = g.uniform(40, 215, 3)
    yy, xx = np.mgrid[0:side, 0:side] / side
    slope = g.uniform(-30, 30, (2, 3))
    field = np.stack(
        [ndimage.gaussian_filter(g.normal(0, 1, (side, side)), 3.0) for _ in range(3)], -1
    )
    field *= 30 / field.std()
    img = base + xx[..., None] * slope[0] + yy[..., None] * slope[1] + field
    img = img + g.normal(0, 4, img.shape)
    taken = np.zeros((side, side), bool)
    boxes = []
    for _ in range(n_objects):
        for _attempt in range(200):
            w, h = g.integers(smallest, largest + 1, 2)
            x, y = g.integers(0, side - w + 1), g.integers(0, side - h + 1)
            if not taken[max(0, y - 2) : y + h + 2, max(0, x - 2) : x + w + 2].any():
                break
        else:
            continue
        while True:
            colour = g.uniform(0, 255, 3)
            if np.linalg.norm(colour - base) >= 60:
                break
        if g.random() < 0.5:
            mask = np.ones((h, w), bool)
        else:
            cy = (np.arange(h) + 0.5 - h / 2) / (h / 2)
            cx = (np.arange(w) + 0.5 - w / 2) / (w / 2)
            mask = cy[:, None] ** 2 + cx[None, :] ** 2 <= 1.0
        second = np.zeros((h, w), bool)
        if g.random() < 0.5:
            second[:, w // 2 :] = True
        else:
            second[h // 2 :, :] = True
        colours = np.where(second[..., None], colour + g.normal(0, 25, 3), colour)
        patch = colours + g.normal(0, g.choice([3.0, 12.0]), (h, w, 3))
        region = img[y : y + h, x : x + w]
        region[mask] = patch[mask]
        taken[y : y + h, x : x + w] |= mask
        ys, xs = np.nonzero(mask)
        boxes.append((x + xs.min(), y + ys.min(), x + xs.max() + 1, y + ys.max() + 1))
    return np.clip(img, 0, 255), np.array(boxes, float)


def selective_search(image: np.ndarray, k: float, sigma: float = 0.8, similarity: str = "CTSF"):
    """One Selective Search strategy: over-segmentation, region features, greedy grouping.
    Returns the proposals (every region), the merges and the initial regions' pixel data."""
    labels = felzenszwalb(image, k, sigma)
    regions, pairs, pixels, codes = initial_regions(image, labels)
    proposals, merges = greedy_grouping(
        regions, pairs, combined_similarity(similarity), float(labels.size)
    )
    return proposals, merges, regions, pairs, pixels, codes


# ------------------------------------------------ the selective-search experiment (Q57)
WINDOWS = positive(
    "windows",
    "locations evaluated: Selective Search's distinct proposal boxes, "
    "or the sliding windows of the sparsest exhaustive search reaching the same "
    "ABO (or, 'exhaustive_recall', the same recall at IoU 0.5)",
    axes=("search",),
)
SECONDS = positive(
    "seconds",
    deterministic=False,
    description="CPU seconds to propose and score the locations with an 8 x 8 "
    "warp and a linear classifier",
    axes=("search",),
    resolution=1e-6,
)
ABO = real(
    "abo",
    "average best overlap (mean over objects of the best IoU of a location)",
    axes=("search",),
    bounds=(0.0, 1.0),
)
FEATURE_READS = positive(
    "feature_values_read",
    "values read to obtain every merged region's colour and texture histograms",
    axes=("features",),
)
FEATURE_SECONDS = positive(
    "feature_seconds",
    deterministic=False,
    description="CPU seconds to obtain every merged region's histograms",
    axes=("features",),
    resolution=1e-6,
)
LEAF_DEPTH = positive(
    "leaf_depth", "mean number of merges above an initial region", axes=("similarity",)
)
FILL = real(
    "fill",
    "mean share of its bounding box a merged region fills",
    axes=("similarity",),
    bounds=(0.0, 1.0),
)
INITIAL = positive("initial_regions", "regions of the over-segmentation")


@experiment(
    "selective_search",
    measures=(WINDOWS, SECONDS, ABO, FEATURE_READS, FEATURE_SECONDS, LEAF_DEPTH, FILL, INITIAL),
)
def selective_search_scenes(
    seeds,
    *,
    side=128,
    objects=3,
    k=50,
    sigma=0.8,
    smallest_window=16,
    levels=EXHAUSTIVE_LEVELS,
    timing_windows=16384,
):
    """Per seed one generated scene. Selective Search runs one strategy (RGB, k, colour +
    texture + size + fill); its locations are its distinct proposal boxes. Exhaustive search
    is the sparsest sliding-window search of ``levels`` (then every integer box, which
    reaches ABO 1) whose ABO is at least Selective Search's; also recorded, the sparsest whose
    recall at IoU 0.5 (PASCAL's criterion) is at least Selective Search's. Times are CPU seconds of this
    process: Selective Search from the raw image to scored proposals; exhaustive search as
    the measured cost per window of the same scoring (``timing_windows`` windows) times its
    window count. Feature propagation and recomputation from pixels replay the same merges.
    The size and fill similarities are ablated (CTF, CTS) on the same over-segmentation."""
    out = []
    for seed in seeds:
        g = rng.numpy_rng(seed, "scene")
        image, gt = generate_scene(g, side, objects)
        weights = rng.numpy_rng(seed, "classifier").normal(size=8 * 8 * 3).astype(np.float32)

        t0 = time.process_time()
        proposals, merges, regions, pairs, pixels, codes = selective_search(image, k, sigma)
        boxes = proposal_boxes(proposals)
        warp_scores(image, boxes, weights)
        ss_seconds = time.process_time() - t0
        ss_best = iou_matrix(gt, boxes).max(1)
        ss_abo = float(ss_best.mean())

        ss_recall = float((ss_best >= 0.5).mean())
        count = abo = count_recall = None
        for level in levels:
            n_windows, best = exhaustive_search(gt, side, level, smallest_window)
            if count_recall is None and (best >= 0.5).mean() >= ss_recall:
                count_recall = n_windows
            if best.mean() >= ss_abo:
                count, abo = n_windows, float(best.mean())
                break
        if count is None:  # every integer box with sides >= smallest_window: ABO 1
            per_axis = sum(side - s + 1 for s in range(smallest_window, side + 1))
            count, abo = per_axis**2, 1.0
        if count_recall is None:
            count_recall = count
        probe = random_windows(rng.numpy_rng(seed, "timing"), timing_windows, side, smallest_window)
        t0 = time.process_time()
        warp_scores(image, probe, weights)
        per_window = (time.process_time() - t0) / timing_windows

        n = len(regions)
        t0 = time.process_time()
        propagated, reads_prop = features_by_propagation(proposals, merges, n)
        t_prop = time.process_time() - t0
        t0 = time.process_time()
        recomputed, reads_pix = features_from_pixels(pixels, codes, merges)
        t_pix = time.process_time() - t0
        gap = max(
            max(np.abs(p[0] - q[0]).max(), np.abs(p[1] - q[1]).max())
            for p, q in zip(propagated, recomputed)
        )
        if gap > 1e-9:
            raise AssertionError(f"propagated and recomputed histograms differ by {gap:.2g}")

        m = {
            INITIAL.key(): float(n),
            WINDOWS.key(search="selective"): float(len(boxes)),
            WINDOWS.key(search="exhaustive"): float(count),
            WINDOWS.key(search="exhaustive_recall"): float(count_recall),
            SECONDS.key(search="selective"): ss_seconds,
            SECONDS.key(search="exhaustive"): per_window * count,
            ABO.key(search="selective"): ss_abo,
            ABO.key(search="exhaustive"): abo,
            FEATURE_READS.key(features="propagated"): float(reads_prop),
            FEATURE_READS.key(features="recomputed"): float(reads_pix),
            FEATURE_SECONDS.key(features="propagated"): t_prop,
            FEATURE_SECONDS.key(features="recomputed"): t_pix,
        }
        for letters in ("CTSF", "CTF", "CTS"):
            if letters == "CTSF":
                props, mer = proposals, merges
            else:
                props, mer = greedy_grouping(
                    regions, pairs, combined_similarity(letters), float(side * side)
                )
            if letters != "CTS":
                m[LEAF_DEPTH.key(similarity=letters)] = float(leaf_depths(n, mer).mean())
            if letters != "CTF":
                m[FILL.key(similarity=letters)] = float(fill_ratios(props, n).mean())
        out.append(m)
    return out


@selective_search_scenes.figure
def _plot_selective_search(trials, fig):
    ax1, ax2, ax3 = (fig.add_subplot(1, 3, i) for i in (1, 2, 3))
    n = len(trials)
    x = np.arange(n)
    for search, marker, label in (
        ("selective", "o", "selective"),
        ("exhaustive", "s", "exhaustive, same ABO"),
        ("exhaustive_recall", "^", "exhaustive, same recall@0.5"),
    ):
        ax1.scatter(x, WINDOWS.values(trials, search=search), marker=marker, s=12, label=label)
    ax1.set(
        yscale="log",
        xlabel="seed (scene)",
        ylabel="locations evaluated",
        title="locations at equal quality (each seed)",
    )
    ax1.legend(fontsize=8)
    for features, marker in (("propagated", "o"), ("recomputed", "s")):
        ax2.scatter(
            x,
            FEATURE_SECONDS.values(trials, features=features),
            marker=marker,
            s=12,
            label=features,
        )
    ax2.set(
        yscale="log",
        xlabel="seed (scene)",
        ylabel="CPU seconds",
        title="merged-region histograms (each seed)",
    )
    ax2.legend(fontsize=8)
    depth = [LEAF_DEPTH.values(trials, similarity=s) for s in ("CTSF", "CTF")]
    fill = [FILL.values(trials, similarity=s) for s in ("CTSF", "CTS")]
    ax3.boxplot(depth, positions=[0, 1], widths=0.6)
    ax3.set_xticks([0, 1], ["with size", "without"])
    ax3.set(
        ylabel="mean merges above an initial region", title="size and fill rules (boxes over seeds)"
    )
    inset = ax3.twinx()
    inset.boxplot(fill, positions=[2.5, 3.5], widths=0.6)
    ax3.set_xticks([0, 1, 2.5, 3.5], ["size", "no size", "fill", "no fill"])
    inset.set_ylabel("mean share of bbox filled")
    ax3.set_xlim(-0.7, 4.2)


# ------------------------------------------------ the bounding-box regression experiment (Q56)
NEAR, FAR = (0.6, 0.9), (0.1, 0.4)  # proposal bins by IoU with the ground truth
IOU = real(
    "iou",
    "mean IoU of the test proposals with the ground truth, before and after the "
    "R-CNN regressor (trained on proposals with IoU > 0.6)",
    axes=("proposals", "boxes"),
    bounds=(0.0, 1.0),
)
GAP_CLOSED = real(
    "gap_closed",
    "mean share of 1 - IoU that regression closes, each bin's "
    "proposals by the regressor trained on that bin's overlaps",
    axes=("proposals",),
)


def object_image(g: np.random.Generator, side: int = 64):
    """One object (a rectangle, sides 16..40, of a colour at least 60 from the background's)
    on a noisy background. Returns the image and the object's box."""
    base = g.uniform(40, 215, 3)
    img = base + g.normal(0, 8, (side, side, 3))
    w, h = g.integers(16, 41, 2)
    x, y = g.integers(0, side - w + 1), g.integers(0, side - h + 1)
    while True:
        colour = g.uniform(0, 255, 3)
        if np.linalg.norm(colour - base) >= 60:
            break
    img[y : y + h, x : x + w] = colour + g.normal(0, 8, (h, w, 3))
    return np.clip(img, 0, 255), np.array([x, y, x + w, y + h], float)


def perturbed_proposals(g: np.random.Generator, gt: np.ndarray, n: int) -> np.ndarray:
    """Boxes around the ground truth: centre shifted by up to 0.6 of its sides, sides scaled by
    exp(±0.8)."""
    c = to_center(gt)
    shift = g.uniform(-0.6, 0.6, (n, 2)) * c[2:]
    scale = np.exp(g.uniform(-0.8, 0.8, (n, 2))) * c[2:]
    return to_corners(np.c_[c[:2] + shift, scale])


def proposal_features(image: np.ndarray, boxes: np.ndarray, out: int = 16) -> np.ndarray:
    """A fixed feature map of each proposal, as R-CNN's pool5 of the warped window: the box
    dilated by 16/195 of its size on every side (R-CNN's context padding), warped to
    ``out`` x ``out`` (nearest neighbour, the image's median colour outside the image), each
    pixel's distance to the image's median colour."""
    img = np.asarray(image, float)
    side = img.shape[0]
    median = np.median(img.reshape(-1, 3), axis=0)
    dist = np.sqrt(((img - median) ** 2).sum(-1))
    padded = np.pad(dist, 1)  # outside the image: distance 0 (median colour)
    c = to_center(boxes)
    c[:, 2:] *= 1 + 2 * 16 / 195
    b = to_corners(c)
    grid = (np.arange(out) + 0.5) / out
    xs = np.clip(np.floor(b[:, 0:1] + grid * (b[:, 2:3] - b[:, 0:1])), -1, side) + 1
    ys = np.clip(np.floor(b[:, 1:2] + grid * (b[:, 3:4] - b[:, 1:2])), -1, side) + 1
    return padded[ys.astype(int)[:, :, None], xs.astype(int)[:, None, :]].reshape(len(b), -1)


def bin_mask(ious: np.ndarray, bounds) -> np.ndarray:
    return (ious >= bounds[0]) & (ious < bounds[1])


@experiment("bbox_regression", measures=(IOU, GAP_CLOSED), chunk=10)
def bbox_regression(
    seeds, *, train_images=200, test_images=100, per_image=24, lam=10.0, rcnn_min_iou=0.6
):
    """Per seed a training and a test set of generated images, ``per_image`` perturbed
    proposals each (kept if their IoU is at least 0.1). Features: :func:`proposal_features`,
    standardised on the training set, plus a bias; targets: R-CNN's (6)-(9); one ridge
    regressor per target (``lam``). The R-CNN regressor learns from training proposals with
    IoU > ``rcnn_min_iou`` (R-CNN's rule) and serves the near bin [0.6, 0.9); the far bin
    [0.1, 0.4) gets its own regressor, learnt from training proposals in that bin -- each
    regime its best linear map."""
    out = []
    for seed in seeds:
        sets = {}
        for part, count in (("train", train_images), ("test", test_images)):
            g = rng.numpy_rng(seed, f"boxes[{part}]")
            feats, props, gts = [], [], []
            for _ in range(count):
                image, gt = object_image(g)
                p = perturbed_proposals(g, gt, per_image)
                p = p[paired_iou(p, np.repeat(gt[None], len(p), 0)) >= 0.1]
                feats.append(proposal_features(image, p))
                props.append(p)
                gts.append(np.repeat(gt[None], len(p), 0))
            phi, p, gt = (np.concatenate(v) for v in (feats, props, gts))
            sets[part] = (phi, encode(to_center(p), to_center(gt)), p, gt, paired_iou(p, gt))
        phi, t, _, _, overlap = sets["train"]
        mean, sd = phi.mean(0), phi.std(0) + 1e-9

        def design(f, mean=mean, sd=sd):
            return np.c_[(f - mean) / sd, np.ones(len(f))]

        near_w = ridge(design(phi[overlap > rcnn_min_iou]), t[overlap > rcnn_min_iou], lam)
        far_sel = bin_mask(overlap, FAR)
        far_w = ridge(design(phi[far_sel]), t[far_sel], lam)
        phi_te, _, p_test, g_test, before = sets["test"]
        m = {}
        for label, bounds, w in (("near", NEAR, near_w), ("far", FAR, far_w)):
            sel = bin_mask(before, bounds)
            moved = to_corners(decode(to_center(p_test[sel]), design(phi_te[sel]) @ w))
            after = paired_iou(moved, g_test[sel])
            m[GAP_CLOSED.key(proposals=label)] = float(
                ((after - before[sel]) / (1 - before[sel])).mean()
            )
            if label == "near":
                m[IOU.key(proposals=label, boxes="before")] = float(before[sel].mean())
                m[IOU.key(proposals=label, boxes="after")] = float(after.mean())
        out.append(m)
    return out


@bbox_regression.figure
def _plot_bbox_regression(trials, fig):
    ax1, ax2 = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    before = IOU.values(trials, proposals="near", boxes="before")
    after = IOU.values(trials, proposals="near", boxes="after")
    for b, a in zip(before, after):
        ax1.plot([0, 1], [b, a], color="grey", alpha=0.3, lw=0.6)
    ax1.errorbar(
        [0, 1],
        [before.mean(), after.mean()],
        yerr=[before.std(ddof=1), after.std(ddof=1)],
        fmt="o-",
        capsize=3,
        label="mean ± 1 SD",
    )
    ax1.set_xticks([0, 1], ["proposal", "after regression"])
    ax1.set(
        ylabel="mean IoU with the ground truth",
        xlim=(-0.4, 1.4),
        title="near proposals [0.6, 0.9), R-CNN regressor",
    )
    ax1.legend(fontsize=8)
    closed = [GAP_CLOSED.values(trials, proposals=p) for p in ("near", "far")]
    ax2.boxplot(closed, positions=[0, 1], widths=0.6)
    ax2.axhline(0, color="grey", lw=0.8, ls=":")
    ax2.set_xticks([0, 1], ["near [0.6, 0.9)", "far [0.1, 0.4)"])
    ax2.set(ylabel="share of 1 - IoU closed (each seed)", title="each bin's own linear regressor")
