"""trainbr (Bayesian regularisation) against the independent MATLAB reference.

The reference is ``tests/references/trainbr.py`` (MATLAB's algorithm from
the toolbox code; it shares no code with bpforecast). The implementation is
run through :func:`bpforecast.nn.training.train` with :class:`TrainBR`,
exactly as the estimators run it, and compared epoch by epoch: perf (mse),
mu, gamma, alpha, beta (sum scale), ssX and the gradient norm.

Tolerance: ``max(1e-10, 2 * floor)`` relative, where ``floor`` is measured
here, per problem and column, as the largest distance between five runs of
the reference that add in different orders (samples in order, reversed and
three fixed permutations), over the epochs compared. The factor 2 is the triangle
inequality: the implementation is one more correct run, so its distance to
any one reference run is at most its distance to a fourth (exact) run plus
that run's distance to the reference. Near the end of a run the accept test
``F2 < F`` is decided by rounding (see the reference's docstring), so runs
are compared up to the first differing accept decision (the first epoch
where ``mu`` differs), and that window must hold both branches of the test.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from bpforecast.nn.bayesian import (
    TRAINBR_CRITERIA,
    BayesianRegularization,
    TrainBR,
)
from bpforecast.nn.initialization import initialize
from bpforecast.nn.loop import StopCriteria, run
from bpforecast.nn.network import Architecture, pack
from bpforecast.nn.passes import ArrayAPIPasses
from bpforecast.nn.record import HISTORY_COLUMNS
from bpforecast.nn.training import train, train_stacked

sys.path.insert(0, str(Path(__file__).parent))
from references import relative_difference  # noqa: E402
from references import trainbr as reference  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CRITERIA = StopCriteria(epochs=1000, goal=0.0, min_grad=0.0, max_fail=0)
#: history column -> reference record key
COLUMNS = {
    "perf": "perf",
    "lr": "mu",
    "gamma": "gamk",
    "alpha": "alpha",
    "beta": "beta",
    "ssX": "ssX",
    "gradient": "gradient",
}


def sine_problem(hidden: int, seed: int):
    """41 noisy samples of sin(2 pi x) on [-1, 1] (sd 0.1), Nguyen-Widrow start."""
    arch = Architecture.build(1, (hidden,), 1, "tansig", "purelin")
    x = np.linspace(-1.0, 1.0, 41)[:, None]
    rng = np.random.default_rng(0)
    t = np.sin(2.0 * np.pi * x) + 0.1 * rng.normal(size=x.shape)
    coefs, intercepts = initialize(arch, np.array([[-1.0, 1.0]]), "nguyen-widrow", seed)
    return arch, pack(coefs, intercepts), x, t


def same_decisions(mu_a, mu_b) -> int:
    """Number of leading epochs whose ``mu`` (every accept decision) agree."""
    n = min(len(mu_a), len(mu_b))
    differ = np.nonzero(np.asarray(mu_a[:n]) != np.asarray(mu_b[:n]))[0]
    return int(differ[0]) if differ.size else n


def compare(hidden: int, seed: int) -> dict:
    """Distances implementation-reference and the floor, per column."""
    arch, theta, x, t = sine_problem(hidden, seed)
    sizes = (1, hidden, 1)
    orders = [np.arange(41), np.arange(41)[::-1]] + [
        np.random.default_rng(s).permutation(41) for s in (1, 2, 3)
    ]
    refs = [
        reference.train_trainbr(theta, x[o], t[o], sizes, epochs=1000, min_grad=0.0)
        for o in orders
    ]
    got = train(theta, arch, (x, t), TrainBR(), CRITERIA)
    n = same_decisions(got.history["lr"], refs[0]["mu"])
    window = min(
        [n]
        + [same_decisions(a["mu"], b["mu"]) for a, b in itertools.combinations(refs, 2)]
    )

    def distance(a, b) -> float:
        return float(np.nanmax(relative_difference(a[:window], b[:window])))

    floor = {
        col: max(distance(a[key], b[key]) for a, b in itertools.combinations(refs, 2))
        for col, key in COLUMNS.items()
    }
    diff = {
        col: distance(np.asarray(got.history[col]), refs[0][key])
        for col, key in COLUMNS.items()
    }
    return {
        "got": got,
        "ref": refs[0],
        "n": n,
        "window": window,
        "floor": floor,
        "diff": diff,
    }


FAST_CASES = [(20, 0), (5, 0), (5, 1)]
SLOW_CASES = [(20, 1), (20, 2), (20, 3), (20, 4), (5, 2), (5, 3), (5, 4)]


@pytest.mark.parametrize(
    ("hidden", "seed"),
    FAST_CASES + [pytest.param(*c, marks=pytest.mark.slow) for c in SLOW_CASES],
)
def test_matches_the_matlab_reference_epoch_by_epoch(hidden, seed):
    c = compare(hidden, seed)
    got, ref, window = c["got"], c["ref"], c["window"]
    # The compared window is most of the run and holds both branches of the
    # accept test (n_trials > 1: at least one rejected trial in that epoch).
    assert window >= 0.8 * min(len(ref["mu"]), got.n_epochs + 1)
    assert ref["accepted"][:window].any()
    assert (ref["n_trials"][:window] > 1).any()
    for col, d in c["diff"].items():
        tol = max(1e-10, 2.0 * c["floor"][col])
        assert d <= tol, (col, d, c["floor"][col], window)
    assert c["diff"]["lr"] == 0.0  # the same decisions, the same mu
    if c["n"] == len(ref["mu"]) == got.n_epochs + 1:
        assert got.stop_reason == ref["stop_reason"]
    if (hidden, seed) == (20, 0):  # all 1000 epochs agree in every decision
        assert window == 1001 and got.stop_reason == "epochs"
    if (hidden, seed) == (5, 0):  # MATLAB's "Maximum MU reached" in both
        assert got.stop_reason == ref["stop_reason"] == "mu_max"


def test_history_columns_and_scales():
    arch, theta, x, t = sine_problem(5, 0)
    r = train(theta, arch, (x, t), TrainBR(), StopCriteria(epochs=30, min_grad=0.0))
    assert tuple(r.history) == HISTORY_COLUMNS + ("gamma", "alpha", "beta", "ssX")
    assert all(len(v) == r.n_epochs + 1 == 31 for v in r.history.values())
    h = {k: np.asarray(v) for k, v in r.history.items()}
    # epoch 0: gamma = N_w; beta_m = (N - N_w) / (2 mse); alpha = N_w / (2 ssX)
    assert h["gamma"][0] == arch.n_params == 16
    np.testing.assert_allclose(h["beta"][0] * 41, (41 - 16) / (2 * h["perf"][0]))
    np.testing.assert_allclose(h["ssX"][0], theta @ theta, rtol=1e-15)
    np.testing.assert_allclose(h["alpha"][0], 16 / (2 * theta @ theta), rtol=1e-15)
    # gamma stays between 0 and N_w; alpha = gamma / (2 ssX) every epoch
    assert ((h["gamma"] > 0) & (h["gamma"] <= 16)).all()
    np.testing.assert_allclose(h["alpha"], h["gamma"] / (2 * h["ssX"]), rtol=1e-14)
    np.testing.assert_allclose(h["ssX"][-1], r.theta @ r.theta, rtol=1e-14)


def test_f_decides_not_the_mse():
    """A kept step lowers F = beta E_D + alpha E_W; the mse may rise."""
    arch, theta, x, t = sine_problem(20, 0)
    r = train(theta, arch, (x, t), TrainBR(), StopCriteria(epochs=300, min_grad=0.0))
    perf = np.asarray(r.history["perf"])
    assert (np.diff(perf) > 0).any()  # impossible for trainlm


def test_stacked_restarts_equal_separate_fits():
    arch, _, x, t = sine_problem(20, 0)
    thetas = np.stack([sine_problem(20, s)[1] for s in range(4)])
    criteria = StopCriteria(epochs=400, min_grad=0.0)
    results = train_stacked(thetas, arch, (x, t), TrainBR(), criteria)
    for k, stacked in enumerate(results):
        alone = train(thetas[k], arch, (x, t), TrainBR(), criteria)
        n = same_decisions(stacked.history["lr"], alone.history["lr"])
        assert n >= 350
        for col in stacked.history:
            a = np.asarray(stacked.history[col][:n], dtype=float)
            b = np.asarray(alone.history[col][:n], dtype=float)
            np.testing.assert_allclose(a, b, rtol=1e-10, atol=0, err_msg=col)
        if n == alone.n_epochs + 1:
            np.testing.assert_allclose(stacked.theta, alone.theta, rtol=1e-10)


def test_array_api_strict_matches_numpy():
    xp = pytest.importorskip("array_api_strict")
    arch, theta, x, t = sine_problem(5, 0)
    criteria = StopCriteria(epochs=60, min_grad=0.0)
    ref = train(theta, arch, (x, t), TrainBR(), criteria)
    got = train(
        xp.asarray(theta), arch, (xp.asarray(x), xp.asarray(t)), TrainBR(), criteria
    )
    assert isinstance(got.theta, type(xp.asarray(theta)))
    n = same_decisions(got.history["lr"], ref.history["lr"])
    assert n >= 55
    for col in ref.history:
        np.testing.assert_allclose(
            got.history[col][:n], ref.history[col][:n], rtol=1e-10, err_msg=col
        )
    if n == ref.n_epochs + 1:
        np.testing.assert_allclose(np.asarray(got.theta), ref.theta, rtol=1e-10)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"mu": -1.0}, "mu"),
        ({"mu": 0.0}, "mu"),
        ({"mu": math.nan}, "mu"),
        ({"mu_dec": 1.0}, "mu_dec"),
        ({"mu_dec": 0.0}, "mu_dec"),
        ({"mu_inc": 1.0}, "mu_inc"),
        ({"mu_inc": 0.5}, "mu_inc"),
        ({"mu_max": -1.0}, "mu_max"),
        ({"mu": "a"}, "mu"),
    ],
)
def test_bad_parameters_are_refused_by_name(kwargs, name):
    for make in (TrainBR, BayesianRegularization):
        with pytest.raises(ValueError, match=rf"^{name} must"):
            make(**kwargs)


def test_defaults_are_matlabs():
    solver = TrainBR()
    assert (solver.mu, solver.mu_dec, solver.mu_inc, solver.mu_max) == (
        0.005,
        0.1,
        10.0,
        1e10,
    )
    assert TRAINBR_CRITERIA == {
        "epochs": 1000,
        "goal": 0.0,
        "min_grad": 1e-7,
        "max_fail": 0,
    }
    assert TrainBR(mu=0.1).rule() == BayesianRegularization(mu=0.1)


def test_fixed_l2_penalty_is_refused():
    arch = Architecture.build(1, (3,), 1, "tansig", "purelin", alpha=0.01)
    x = np.linspace(-1, 1, 10)[:, None]
    with pytest.raises(ValueError, match="alpha must be 0"):
        train(np.full(arch.n_params, 0.1), arch, (x, x), TrainBR(), CRITERIA)


def test_mini_batches_are_refused():
    arch, theta, x, t = sine_problem(5, 0)
    with pytest.raises(ValueError, match="trainbr is full batch"):
        train(theta, arch, (x, t), TrainBR(), CRITERIA, batch_size=10)


class _FirstTrialOverflows(ArrayAPIPasses):
    """The first trial's mse is infinite (the second perf call)."""

    calls = 0

    def perf(self, thetas):
        out = super().perf(thetas)
        self.calls += 1
        return out * math.inf if self.calls == 2 else out


def test_a_step_that_makes_f_nonfinite_is_rejected():
    arch, theta, x, t = sine_problem(5, 0)
    criteria = StopCriteria(epochs=3, min_grad=0.0)
    (bad,) = run(
        theta[None], _FirstTrialOverflows(arch, (x, t)), TrainBR().rule(), criteria
    )
    good = train(theta, arch, (x, t), TrainBR(), criteria)
    assert bad.rejected_nonfinite == 1 and good.rejected_nonfinite == 0
    # epoch 0 tried mu = 0.005 (rejected) and then 0.05 (kept): mu = 0.005
    assert bad.history["lr"][:2] == pytest.approx([0.005, 0.005], rel=1e-15)
    assert good.history["lr"][:2] == pytest.approx([0.005, 0.0005], rel=1e-15)
    assert all(math.isfinite(v) for v in bad.history["perf"])


def test_respond_rejects_nonfinite_f():
    rule = BayesianRegularization()
    state = rule.init(3)._replace(
        alpha=[1.0] * 3,
        beta=[1.0] * 3,
        F=[10.0] * 3,
        ssX=[1.0] * 3,
        stage=[""] * 3,
        trial_ss=np.array([1.0, math.inf, 1.0]),
    )
    accept, retry, state = rule.respond(state, [5.0] * 3, [math.nan, 1.0, 1.0])
    assert accept == [False, False, True] and retry == [True, True, False]
    assert state.mu == [0.05, 0.05, 0.0005] and state.stage == ["", "", "update"]
    assert state.F[2] == 2.0 and state.ssX[2] == 1.0


def test_mu_max_stop_and_record():
    arch, theta, x, t = sine_problem(5, 0)
    r = train(theta, arch, (x, t), TrainBR(mu_max=1e3), CRITERIA)
    assert r.stop_reason == "mu_max"
    assert r.history["lr"][-1] >= 1e3


@pytest.mark.slow
def test_benchmark_quick_prints_the_json_line():
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_trainbr.py"), "--quick"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=600,
    ).stdout
    line = [s for s in out.splitlines() if s.startswith("{")][-1]
    data = json.loads(line)
    assert data["benchmark"] == "trainbr_generalisation" and data["seeds"] == 3
    methods = data["methods"]
    assert {"trainbr", "trainlm", "trainlm_early_stop", "traingdx"} <= set(methods)
    for m in methods.values():
        assert m["q25"] <= m["median"] <= m["q75"]
    assert 0 < data["trainbr_median_gamma"] < 61
