"""Object-detection building blocks under test (questions 55-59 of the seed).

Plain numpy implementations, written from the seed's descriptions and the papers they cite:
IoU, greedy non-maximum suppression (NMS), the R-CNN bounding-box transforms (1)-(4) and
their targets (6)-(9), Faster R-CNN anchors, and the hierarchical grouping of Selective
Search. Boxes are ``(x1, y1, x2, y2)`` corners with x2 > x1, y2 > y1 unless stated otherwise.
"""
from __future__ import annotations

import itertools

import numpy as np


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


def iou_matrix(boxes) -> np.ndarray:
    boxes = np.asarray(boxes, float)
    x1 = np.maximum(boxes[:, None, 0], boxes[None, :, 0])
    y1 = np.maximum(boxes[:, None, 1], boxes[None, :, 1])
    x2 = np.minimum(boxes[:, None, 2], boxes[None, :, 2])
    y2 = np.minimum(boxes[:, None, 3], boxes[None, :, 3])
    inter = np.clip(x2 - x1, 0, None) * np.clip(y2 - y1, 0, None)
    areas = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    union = areas[:, None] + areas[None, :] - inter
    return np.where(union > 0, inter / np.where(union > 0, union, 1), 0.0)


def pixel_iou(a, b) -> float:
    """IoU of integer boxes by counting pixels on a grid: the definition, computed literally."""
    size = int(max(a[2], b[2], a[3], b[3])) + 1
    grid_a = np.zeros((size, size), bool)
    grid_b = np.zeros((size, size), bool)
    grid_a[int(a[1]):int(a[3]), int(a[0]):int(a[2])] = True
    grid_b[int(b[1]):int(b[3]), int(b[0]):int(b[2])] = True
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
            alive[i + 1:] &= ~overlaps[i, i + 1:]
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
    keep = tv_nms(torch.as_tensor(np.asarray(boxes), dtype=torch.float64),
                  torch.as_tensor(np.asarray(scores), dtype=torch.float64), threshold)
    return [int(i) for i in keep]


def local_maxima(boxes, scores, threshold: float) -> list[int]:
    """Boxes with no higher-scoring box in their neighbourhood (IoU > threshold)."""
    m = iou_matrix(boxes)
    s = np.asarray(scores, float)
    n = len(s)
    return [i for i in range(n)
            if not any(m[i, j] > threshold and (s[j] > s[i] or (s[j] == s[i] and j < i))
                       for j in range(n) if j != i)]


# ------------------------------------------------------------- bounding-box regression (Q56)
def to_center(box) -> np.ndarray:
    x1, y1, x2, y2 = np.asarray(box, float).T
    return np.stack([(x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1], axis=-1)


def to_corners(cbox) -> np.ndarray:
    x, y, w, h = np.asarray(cbox, float).T
    return np.stack([x - w / 2, y - h / 2, x + w / 2, y + h / 2], axis=-1)


def encode(P, G) -> np.ndarray:
    """R-CNN regression targets (6)-(9): t = ((Gx-Px)/Pw, (Gy-Py)/Ph, log(Gw/Pw), log(Gh/Ph)).
    P and G are (x, y, w, h) centre boxes."""
    Px, Py, Pw, Ph = np.asarray(P, float).T
    Gx, Gy, Gw, Gh = np.asarray(G, float).T
    return np.stack([(Gx - Px) / Pw, (Gy - Py) / Ph, np.log(Gw / Pw), np.log(Gh / Ph)], axis=-1)


def decode(P, d) -> np.ndarray:
    """R-CNN transforms (1)-(4): Ĝ = (Pw dx + Px, Ph dy + Py, Pw exp(dw), Ph exp(dh))."""
    Px, Py, Pw, Ph = np.asarray(P, float).T
    dx, dy, dw, dh = np.asarray(d, float).T
    return np.stack([Pw * dx + Px, Ph * dy + Py, Pw * np.exp(dw), Ph * np.exp(dh)], axis=-1)


# --------------------------------------------------------------------------- anchors (Q59)
def anchors(center=(0.0, 0.0), base: float = 16.0, scales=(8, 16, 32),
            ratios=(0.5, 1.0, 2.0)) -> np.ndarray:
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


# ------------------------------------------------------------ Selective Search grouping (Q57)
class Region:
    """A region of Selective Search: its pixels' count, bounding box and normalised colour
    histogram (the features the merge rules use)."""

    def __init__(self, name: str, size: float, bbox, hist):
        self.name, self.size = name, float(size)
        self.bbox = tuple(float(v) for v in bbox)
        self.hist = np.asarray(hist, float)

    def merge(self, other: "Region") -> "Region":
        """The merged region's features from its parts alone (no pixels needed)."""
        size = self.size + other.size
        hist = (self.size * self.hist + other.size * other.hist) / size
        bbox = (min(self.bbox[0], other.bbox[0]), min(self.bbox[1], other.bbox[1]),
                max(self.bbox[2], other.bbox[2]), max(self.bbox[3], other.bbox[3]))
        return Region(self.name + other.name, size, bbox, hist)


def sim_colour(a: Region, b: Region) -> float:
    """Histogram intersection (Uijlings et al. 2013)."""
    return float(np.minimum(a.hist, b.hist).sum())


def sim_size(a: Region, b: Region, image_size: float) -> float:
    return 1.0 - (a.size + b.size) / image_size


def sim_fill(a: Region, b: Region, image_size: float) -> float:
    bb = a.merge(b).bbox
    bb_size = (bb[2] - bb[0]) * (bb[3] - bb[1])
    return 1.0 - (bb_size - a.size - b.size) / image_size


def hierarchical_grouping(regions: list[Region], adjacency: set[frozenset],
                          similarity, image_size: float):
    """Greedy grouping: repeatedly merge the most similar adjacent pair (ties: the pair met
    first in the current region order) until no adjacent pair is left. Returns the list of
    merge levels (names of the regions present after each merge) and every region that ever
    existed (the proposals)."""
    current = list(regions)
    adj = {frozenset(p) for p in adjacency}
    proposals = list(current)
    levels = [[r.name for r in current]]
    while True:
        pairs = [(i, j) for i in range(len(current)) for j in range(i + 1, len(current))
                 if frozenset((current[i].name, current[j].name)) in adj]
        if not pairs:
            break
        i, j = max(pairs, key=lambda p: (similarity(current[p[0]], current[p[1]], image_size),
                                         -p[0], -p[1]))
        a, b = current[i], current[j]
        merged = a.merge(b)
        new_adj = set()
        for pair in adj:
            names = set(pair)
            if names == {a.name, b.name}:
                continue
            if names & {a.name, b.name}:
                names = (names - {a.name, b.name}) | {merged.name}
            if len(names) == 2:
                new_adj.add(frozenset(names))
        adj = new_adj
        current = current[:i] + [merged] + current[i + 1:j] + current[j + 1:]
        proposals.append(merged)
        levels.append([r.name for r in current])
    return levels, proposals
