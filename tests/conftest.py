import textwrap

# pytester's in-process runs restore sys.modules afterwards; a C extension imported inside one
# run (torch above all) would be imported again by the next and crash the interpreter. Import
# them here, before any run, so they stay loaded.
import matplotlib
import pandas  # noqa: F401
import pytest
import scipy.stats  # noqa: F401
import statsmodels.stats.weightstats  # noqa: F401
import torch  # noqa: F401

import harness.report  # noqa: F401

matplotlib.use("Agg")
import matplotlib.pyplot  # noqa: E402,F401

pytest_plugins = ["pytester"]

# A claims module exercising every outcome. The experiment counts its calls in a file so that
# tests can see whether trials came from the store.
DEMO_EXPERIMENTS = """
import os
import numpy as np
from harness import DIVERGED, experiment, real

A = real("a", "measure a", resolution=1e-3)
B = real("b", "measure b", resolution=1e-3)

@experiment("demo", measures=(A, B))
def demo(seeds, shift=1.0, diverge=()):
    with open(os.environ["DEMO_CALLS"], "a") as f:
        f.write(f"{len(seeds)}\\n")
    out = []
    for s in seeds:
        r = np.random.default_rng(s)
        if s in diverge:
            out.append({DIVERGED: True})
            continue
        out.append({A.key(): float(r.normal(shift, 1.0)), B.key(): float(r.normal(0.0, 1.0))})
    return out

@experiment("broken")
def broken(seeds):
    raise RuntimeError("simulated crash in the experiment")
"""

DEMO_CLAIMS = """
from harness import Compare, Empirical, Equivalent, Kind, Verdict, claim, exact
from demo_experiments import A, B, demo

claim("Q99.1", quote="q", statement="a beats b", kind=Kind.EMPIRICAL,
      check=Empirical(demo(shift=3.0), Compare(A.at(), B.at(), min_effect=0.5)),
      expect=Verdict.SUPPORTED)
claim("Q99.2", quote="q", statement="b beats a", kind=Kind.EMPIRICAL,
      check=Empirical(demo(shift=3.0), Compare(B.at(), A.at(), min_effect=0.5)),
      expect=Verdict.REFUTED)
claim("Q99.3", quote="q", statement="a alike b", kind=Kind.EMPIRICAL,
      check=Empirical(demo(shift=0.3), Equivalent(A.at(), B.at(), margin=0.3)),
      expect=Verdict.INCONCLUSIVE)

@exact("Q99.4", quote="q", statement="1 + 1 = 2", method="arithmetic")
def one_plus_one():
    assert 1 + 1 == 2

claim("Q99.5", quote="q", statement="advice", kind=Kind.OPINION, reason="advice, not a fact")
claim("Q99.6", quote="q", statement="not yet", kind=Kind.EMPIRICAL)
"""


@pytest.fixture
def demo_project(pytester, monkeypatch):
    """A project with the harness plugin and the demo claims; returns a helper to run it."""
    pytester.makeconftest('pytest_plugins = ["harness.plugin"]')
    pytester.mkdir("claims")
    (pytester.path / "claims" / "q99_demo.py").write_text(textwrap.dedent(DEMO_CLAIMS))
    (pytester.path / "demo_experiments.py").write_text(textwrap.dedent(DEMO_EXPERIMENTS))
    pytester.syspathinsert()
    calls = pytester.path / "calls.txt"
    calls.write_text("")
    monkeypatch.setenv("DEMO_CALLS", str(calls))
    monkeypatch.delenv("HARNESS_STORE", raising=False)
    monkeypatch.delenv("CI", raising=False)

    def add(source: str, name: str = "q98_extra.py"):
        (pytester.path / "claims" / name).write_text(textwrap.dedent(source))

    def experiment_calls() -> list[int]:
        return [int(x) for x in calls.read_text().split()]

    pytester.add_claims = add
    pytester.experiment_calls = experiment_calls
    return pytester
