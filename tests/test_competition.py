"""benchmarks/competition.py: its metric code, fallbacks and a smoke run.

The expected values of the unit tests are worked out by hand in the comments
(or computed plainly in the test), not copied from the benchmark's output.
"""

import importlib.util
import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "benchmarks" / "competition.py"


def _load():
    spec = importlib.util.spec_from_file_location("competition_bench", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    # dataclasses look their module up in sys.modules while the file runs.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


comp = _load()


def series(x, xx, m=1, freq="YS", sn="s"):
    x = np.asarray(x, dtype=float)
    xx = np.asarray(xx, dtype=float)
    return comp.SeriesData(sn, x, xx, len(xx), m, freq)


# --------------------------------------------------------------------- sMAPE


def test_smape_hand_worked():
    # 200*|100-110|/(100+110) = 2000/210; 200*0/400 = 0; 0/0 counts as 0.
    assert comp.smape_score([100, 200, 0], [110, 200, 0]) == pytest.approx(
        2000 / 210 / 3, rel=1e-12
    )
    # |1-3| = 2: 200*2/(1+3) = 100; |2-6| = 4: 200*4/(2+6) = 100; mean 100.
    assert comp.smape_score([1, 2], [3, 6]) == pytest.approx(100.0)
    # Opposite signs give the maximum, 200.
    assert comp.smape_score([1.0], [-1.0]) == pytest.approx(200.0)


# ---------------------------------------------------------------------- MASE


def test_mase_seasonal_scale_hand_worked():
    x = [1, 3, 2, 4, 3, 5]
    # m = 2: |2-1|, |4-3|, |3-2|, |5-4| -> scale 1; errors |6-5|, |4-6| -> MAE 1.5.
    assert comp.mase_score(x, [6, 4], [5, 6], m=2) == pytest.approx(1.5)
    # m = 1: |3-1|, |2-3|, |4-2|, |3-4|, |5-3| = 2,1,2,1,2 -> scale 8/5.
    assert comp.mase_score(x, [6, 4], [5, 6], m=1) == pytest.approx(1.5 / 1.6)


def test_mase_zero_seasonal_scale_uses_lag_one_then_skips():
    x = [1, 2, 1, 2, 1, 2]  # repeats every 2 steps: seasonal scale 0
    assert comp.mase_season_length(x, 2) == 1
    # lag-1 scale: |2-1| = 1 five times -> 1; errors 1, 0 -> MASE 0.5.
    assert comp.mase_score(x, [1, 2], [2, 2], m=2) == pytest.approx(0.5)
    assert comp.mase_season_length([4, 4, 4, 4], 2) is None
    assert math.isnan(comp.mase_score([4, 4, 4, 4], [4, 4], [5, 5], m=2))
    # Too short for a seasonal scale (n = m): lag 1.
    assert comp.mase_season_length([1, 2, 4, 7], 4) == 1


# ----------------------------------------------------------------------- OWA


def test_owa_hand_worked_and_naive2_is_one():
    # sMAPE means 15 vs 20 -> 0.75; MASE means 2 vs 2 -> 1; OWA 0.875.
    assert comp.owa([10, 20], [1, 3], [20, 20], [2, 2]) == pytest.approx(0.875)
    # A NaN MASE (undefined scale) is left out of both MASE means: 1 / 2.
    assert comp.owa([20, 20], [1, np.nan], [20, 20], [2, np.nan]) == pytest.approx(0.75)
    smapes, mases = [12.5, 3.0, 40.0], [0.7, 2.0, 1.1]
    assert comp.owa(smapes, mases, smapes, mases) == 1.0


def test_score_subset_gives_naive2_an_owa_of_exactly_one():
    rng = np.random.default_rng(1)
    data = [
        series(100 + rng.normal(0, 5, 30).cumsum(), 100 + rng.normal(0, 5, 4), sn=k)
        for k in "abc"
    ]
    methods = comp.resolve(["Naive2", "SeasonalNaive"], comp.Settings(quick=True))
    result = comp.score_subset(data, comp.run_subset(data, methods))
    assert result["methods"]["Naive2"]["owa"] == 1.0
    # Yearly data: seasonal naive is the naive forecast, i.e. Naive2.
    assert result["methods"]["SeasonalNaive"]["owa"] == pytest.approx(1.0)
    assert result["methods"]["Naive2"]["n_series"] == 3


# --------------------------------------- Naive2 and Theta from the package


def test_naive2_and_theta_are_the_package_m4_forms():
    # The seasonal adjustment, Naive2 and the M4 Theta live in the package
    # (tested against plain references in tests/test_baselines.py); the
    # benchmark must run exactly those.
    from bpforecast.forecasting.baselines import Naive2, Theta

    rng = np.random.default_rng(5)
    n, m = 60, 4
    pattern = np.array([0.8, 1.2, 1.1, 0.9])
    x = (100 + np.arange(n) * 0.5 + rng.normal(0, 1, n)) * pattern[np.arange(n) % m]
    data = [series(x, np.ones(8), m=m, freq="QS", sn="q")]
    out = comp.run_subset(data, comp.resolve(["Theta"], comp.Settings()))
    y = data[0].history()
    np.testing.assert_array_equal(
        out["Naive2"][0]["values"], Naive2().fit(y).predict(8).to_numpy()
    )
    np.testing.assert_array_equal(
        out["Theta"][0]["values"],
        Theta(deseasonalize="m4").fit(y).predict(8).to_numpy(),
    )
    assert comp.score_subset(data, out)["n_seasonal"] == 1


# ------------------------------------------- fallbacks, combination, global


def test_failures_fall_back_to_naive2_and_are_counted(monkeypatch):
    data = [series([1.0, 2.0, 3.0, 4.0], [5.0, 6.0], sn=k) for k in "ab"]

    def broken(y, h, m):
        if y.name == "a":
            raise RuntimeError("boom")
        return np.array([np.nan, 1.0])

    monkeypatch.setitem(comp.METHODS, "Broken", lambda s: comp.LocalMethod(broken))
    monkeypatch.setitem(
        comp.METHODS, "Twice", lambda s: comp.LocalMethod(lambda y, h, m: [8.0, 8.0])
    )
    monkeypatch.setitem(
        comp.METHODS,
        "Combo",
        lambda s: comp.Combination(("Naive2", "Broken", "Twice")),
    )
    methods = comp.resolve(["Combo"], comp.Settings())
    assert list(methods) == ["Naive2", "Broken", "Twice", "Combo"]
    out = comp.run_subset(data, methods)
    for record in out["Broken"]:
        assert record["fallback"]
        np.testing.assert_array_equal(record["values"], [4.0, 4.0])
    assert "boom" in out["Broken"][0]["error"]
    # Median of 4 (Naive2), 4 (Broken -> Naive2) and 8: 4.
    np.testing.assert_array_equal(out["Combo"][0]["values"], [4.0, 4.0])
    scored = comp.score_subset(data, out)["methods"]
    assert scored["Broken"]["n_fallbacks"] == 2
    assert scored["Twice"]["n_fallbacks"] == 0
    assert scored["Combo"]["n_fallbacks"] == 2
    assert scored["Broken"]["owa"] == 1.0


def test_global_methods_get_the_long_frame_and_missing_series_fall_back(
    monkeypatch,
):
    data = [
        series([1.0, 2.0, 3.0, 5.0], [5.0, 6.0], sn="a"),
        series([4.0, 3.0, 2.0, 1.0, 0.5], [1.0, 1.0], sn="b"),
    ]
    seen = {}

    def last_value_of_a(panel, h, m):
        seen["columns"] = list(panel.columns)
        seen["rows"] = len(panel)
        last = panel.groupby("unique_id")["y"].last()
        return {"a": np.full(h, last["a"] + 1.0)}  # leaves out "b"

    monkeypatch.setitem(
        comp.METHODS, "Global", lambda s: comp.GlobalMethod(last_value_of_a)
    )
    out = comp.run_subset(data, comp.resolve(["Global"], comp.Settings()))
    assert seen == {"columns": ["unique_id", "ds", "y"], "rows": 9}
    np.testing.assert_array_equal(out["Global"][0]["values"], [6.0, 6.0])
    assert not out["Global"][0]["fallback"]
    assert out["Global"][1]["fallback"]
    np.testing.assert_array_equal(out["Global"][1]["values"], [0.5, 0.5])


def test_the_product_combination_equals_the_benchmarks_own_median():
    # CombinationForecaster with its default members is Global+Theta+ETS
    # computed by the benchmark from its own members (quick settings here).
    rng = np.random.default_rng(2)
    pattern = np.array([0.9, 1.1, 1.05, 0.95])
    data = [
        series(
            (50 + rng.normal(0, 1, 28).cumsum()) * pattern[np.arange(28) % 4],
            np.ones(4),
            m=4,
            freq="QS",
            sn=f"q{k}",
        )
        for k in range(4)
    ]
    methods = comp.resolve(
        ["Global+Theta+ETS", "CombinationForecaster"], comp.Settings(quick=True)
    )
    out = comp.run_subset(data, methods)
    for ours, theirs in zip(
        out["CombinationForecaster"], out["Global+Theta+ETS"], strict=True
    ):
        assert not ours["fallback"]
        np.testing.assert_allclose(ours["values"], theirs["values"], rtol=1e-12)


def test_series_get_an_index_the_forecasters_read_the_season_from():
    from bpforecast.baselines import infer_season_length

    for subset, freq in comp.FREQUENCIES.items():
        s = series(np.arange(1.0, 30.0), [1.0], freq=freq)
        assert s.history().index.freqstr.startswith(freq)
        assert infer_season_length(s.history().index) == comp.SEASON_LENGTHS[subset]


@pytest.mark.slow
def test_parallel_run_gives_the_same_forecasts_as_a_serial_one():
    data = comp.load_subset("M1-quarterly", max_series=4)
    methods = comp.resolve(["Theta", "BPForecaster"], comp.Settings(quick=True))
    serial = comp.run_subset(data, methods, jobs=1)
    parallel = comp.run_subset(data, methods, jobs=2)
    for name in methods:
        for a, b in zip(serial[name], parallel[name], strict=True):
            np.testing.assert_allclose(a["values"], b["values"], rtol=1e-10)


# ----------------------------------------------------------------- smoke run


@pytest.mark.slow
def test_quick_run_scores_six_subsets_and_ends_with_its_json_record():
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick"],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
        cwd=ROOT,
    )
    record = json.loads(result.stdout.strip().splitlines()[-1])
    assert record["benchmark"] == "competition"
    assert list(record["subsets"]) == list(comp.SUBSETS)
    assert record["methods"] == list(comp.METHODS)
    assert "Tourism" in "".join(record["subsets"]) and "M3" not in result.stdout
    for subset in record["subsets"].values():
        methods = subset["methods"]
        assert set(methods) == set(comp.METHODS)
        assert methods["Naive2"]["owa"] == 1.0
        assert methods["Naive2"]["n_fallbacks"] == 0
        for entry in methods.values():
            assert entry["n_series"] == comp.QUICK_SERIES
            for key in ("smape", "mase", "owa", "seconds_per_series"):
                assert math.isfinite(entry[key]) and entry[key] >= 0
            assert entry["n_fallbacks"] <= entry["n_series"]
    for value in record["average_owa"].values():
        assert math.isfinite(value)
    assert "Machine:" in result.stdout and "BLAS" in result.stdout


@pytest.mark.slow
def test_local_defaults_sweep_runs_variants_on_an_even_sample():
    script = ROOT / "benchmarks" / "local_defaults.py"
    result = subprocess.run(
        [
            sys.executable,
            str(script),
            "--variants",
            "default,v0.2",
            "--sample",
            "3",
            "--subsets",
            "M1-yearly",
            "--baselines",
            "Theta",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
        cwd=ROOT,
    )
    record = json.loads(result.stdout.strip().splitlines()[-1])
    assert record["methods"] == ["Naive2", "Theta", "BP:default", "BP:v0.2"]
    methods = record["subsets"]["M1-yearly"]["methods"]
    assert {entry["n_series"] for entry in methods.values()} == {3}
    assert math.isfinite(record["average_owa"]["BP:default"])
    # the sample is spread over the subset: first, middle and last series
    spec = importlib.util.spec_from_file_location("local_defaults_bench", script)
    sweep = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sweep)
    sampled = sweep._sampled(lambda name, max_series: list(range(10)), 3)
    assert sampled("M1-yearly") == [0, 4, 9]
    assert sampled("M1-yearly", 2) == [0, 4]
