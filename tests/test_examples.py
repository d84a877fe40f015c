"""Every example script runs (with few epochs) and prints its report."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.py"))
QUICK_ARGS = {
    "sunspots_regressor.py": ["--epochs", "40"],
    "airline_forecast.py": ["--n-models", "1", "--horizon", "12"],
    "sunspots_forecast.py": ["--n-models", "1"],
    "narx_forecast.py": ["--n-models", "1", "--n", "300"],
    "matlab_nar_port.py": ["--epochs", "20"],
}


def test_there_are_examples():
    assert EXAMPLES


@pytest.mark.slow
@pytest.mark.parametrize("script", EXAMPLES, ids=lambda p: p.name)
def test_example_runs(script, tmp_path):
    plot = tmp_path / "plot.png"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg"}
    args = [sys.executable, str(script), *QUICK_ARGS.get(script.name, [])]
    args += ["--plot", str(plot)]
    done = subprocess.run(
        args, capture_output=True, text=True, env=env, timeout=300, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert "Relative-error report" in done.stdout or "forecast" in done.stdout.lower()
    assert plot.stat().st_size > 10_000
