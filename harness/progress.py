"""Progress of a long run: per protocol, the seeds in hand of those the current look needs,
cache hits, elapsed time and an estimate of the time left -- one updating line on a terminal,
plain lines (at most one every few seconds) in a log, nothing with ``-q``."""

from __future__ import annotations

import time
from collections.abc import Callable

from .runner import Progress


class Display(Progress):
    """``line(text)`` prints a line (a log); ``status(text)`` redraws the one live status line
    and ``clear()`` removes it (a terminal, where pytest's own output comes in between)."""

    def __init__(
        self,
        line: Callable[[str], None],
        *,
        live: bool = False,
        status: Callable[[str], None] | None = None,
        clear: Callable[[], None] | None = None,
        workers: int = 1,
        every: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.emit = line
        self.status = status
        self.clear_status = clear
        self.live = live and status is not None
        self.workers = max(1, workers)
        self.every = every
        self.clock = clock
        self.start = clock()
        self.last = -1e9
        self.protocols: dict[str, dict] = {}
        self.seconds_per_seed: dict[str, float] = {}  # by experiment name
        self.computed_seeds = self.decided_claims = 0

    def plan(self, key, label, need, cached, compute):
        p = self.protocols.setdefault(key, {"label": label, "computed": 0, "hits": 0})
        p.update(need=need, done=cached, outstanding=compute)
        p["hits"] = max(p["hits"], cached - p["computed"])  # seeds taken from the store
        self._show()

    def computed(self, key, seeds, seconds):
        p = self.protocols[key]
        p["done"] += seeds
        p["computed"] += seeds
        p["outstanding"] = max(0, p["outstanding"] - seeds)
        name = key.split(":", 1)[0]
        old = self.seconds_per_seed.get(name)
        rate = seconds / max(seeds, 1)
        self.seconds_per_seed[name] = rate if old is None else 0.5 * (old + rate)
        self.computed_seeds += seeds
        self._show()

    def decided(self, n):
        self.decided_claims += n

    def eta(self) -> float | None:
        """Seconds of work outstanding in the current looks, spread over the workers (None
        while no protocol of an outstanding experiment has been timed yet)."""
        total = 0.0
        for key, p in self.protocols.items():
            if p.get("outstanding"):
                rate = self.seconds_per_seed.get(key.split(":", 1)[0])
                if rate is None:
                    return None
                total += rate * p["outstanding"]
        return total / self.workers

    def line(self) -> str:
        busy = [p for p in self.protocols.values() if p.get("outstanding")]
        elapsed = self.clock() - self.start
        eta = self.eta()
        hits = sum(p["hits"] for p in self.protocols.values())
        parts = [
            f"[harness] {self.computed_seeds} seeds computed, {hits} from the store",
            f"{self.decided_claims} claims decided",
            f"{_clock(elapsed)} elapsed",
        ]
        if busy:
            parts.append("left " + ("?" if eta is None else f"~{_clock(eta)}"))
            current = busy[0]
            parts.append(
                f"{_short(current['label'])}: {current['done']}/{current['need']} seeds"
                + (f" (+{len(busy) - 1} more protocols)" if len(busy) > 1 else "")
            )
        return " | ".join(parts)

    def _show(self, force=False):
        now = self.clock()
        if self.live:
            self.status(self.line())
        elif force or now - self.last >= self.every:
            self.last = now
            self.emit(self.line())

    def clear(self):
        """Take the live line away before other output (a claim's result) is written."""
        if self.live:
            self.clear_status()

    def finish(self):
        if self.live:
            self.clear_status()
        if self.computed_seeds:
            self.emit(self.line())


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def _short(text: str, n: int = 50) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
