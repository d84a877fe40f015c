"""Time per epoch of bpforecast's traingdx training against three anchors.

All figures come from the same process, on the same data, with the same BLAS
settings:

* ``ours``: ``BPRegressor(solver='traingdx', division=None, ...)``; per-epoch
  time is the fit wall time divided by ``n_epochs_``. An epoch is one forward
  pass at the trial weights plus, when the step is accepted, one backward pass;
  rejected epochs (the learning rate fell) skip the backward pass, so their
  fraction is reported too.
* ``sklearn``: ``MLPRegressor`` full-batch SGD with (heavy-ball) momentum;
  fit time divided by ``n_iter_``. Every epoch is a forward and a backward pass.
* ``numpy``: a plain full-batch gradient-descent-with-momentum loop written
  here, the "what a person would write" anchor (forward and backward pass,
  every epoch).
* ``floor``: the matrix products one epoch needs (forward and backward), both
  as flops divided by the GEMM rate of a large square matmul and as the
  measured time of numpy ``matmul`` on arrays of those shapes. The time of the
  hidden-layer ``tanh`` calls is shown beside it for scale.

Each measurement is repeated (methods interleaved) and the median is kept.
The last line printed is one JSON object with every figure and the BLAS info.

Usage (from the repository root)::

    python benchmarks/bench_train.py               # full run, BLAS threads as is
    python benchmarks/bench_train.py --threads 1   # one BLAS thread
    python benchmarks/bench_train.py --quick       # smoke run, a few seconds
    python benchmarks/bench_train.py --dtype float32   # everything in float32

``--dtype float32`` runs every method in single precision: ours with
``BPRegressor(..., dtype='float32')``, scikit-learn on float32 ``X`` and ``y``
(its ``coefs_`` dtype is checked and printed), the numpy loop on float32
arrays, and the GEMM rate and matmul floor on float32 arrays.

No timing is asserted anywhere: the numbers are for reading, not for tests.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import platform
import statistics
import sys
import time
import warnings
from contextlib import nullcontext
from pathlib import Path
from typing import NamedTuple

import numpy as np
import sklearn
import threadpoolctl
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPRegressor

# Use the source tree this file lives in, installed or not.
_ROOT = Path(__file__).resolve().parents[1]
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

import bpforecast  # noqa: E402
from bpforecast import BPRegressor  # noqa: E402

N_OUTPUTS = 1
LR = 0.01
MOMENTUM = 0.9
DTYPES = ("float64", "float32")


class Case(NamedTuple):
    """One measured configuration: data size, network and how long to run."""

    n_samples: int
    n_features: int
    hidden: tuple[int, ...]
    epochs: int
    repeats: int
    # Small enough that traingdx accepts (nearly) every step, so that an
    # epoch of ours is a forward and a backward pass like the anchors' are.
    lr: float = LR

    @property
    def network(self) -> str:
        return f"{self.n_features}-{'-'.join(map(str, self.hidden))}-{N_OUTPUTS}"


# The small network (24-20-20-1) is bound by per-call overhead at n = 1,000;
# the large one (64-128-128-1) at n = 100,000 is the BLAS-bound case the
# GEMM-rate target is about. The small network at n = 100,000 shows what
# skinny (20-column) products do.
FULL_CASES = (
    Case(1_000, 24, (20, 20), 300, 5),
    Case(100_000, 24, (20, 20), 15, 3),
    Case(100_000, 64, (128, 128), 6, 3, lr=1e-4),
)
QUICK_CASES = (
    Case(1_000, 24, (20, 20), 5, 1),
    Case(20_000, 24, (20, 20), 2, 1),
    Case(5_000, 64, (128, 128), 2, 1, lr=1e-4),
)
FULL_GEMM_SIZE = 2048
QUICK_GEMM_SIZE = 512


# --------------------------------------------------------------------- data
def make_data(
    n_samples: int, n_features: int = 24, seed: int = 0, dtype: str = "float64"
) -> tuple[np.ndarray, np.ndarray]:
    """Standardised inputs and a smooth nonlinear target of unit-ish scale.

    Drawn in float64 (the same values for every ``dtype``), then cast.
    """
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_samples, n_features))
    w = rng.standard_normal(n_features) / math.sqrt(n_features)
    y = (
        np.tanh(X @ w)
        + 0.5 * np.sin(X[:, 0] * X[:, 1])
        + 0.1 * rng.standard_normal(n_samples)
    )
    return X.astype(dtype, copy=False), y.astype(dtype, copy=False)


# ------------------------------------------------------------------ methods
def _timed(fn):
    gc.collect()
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def run_ours(
    X: np.ndarray,
    y: np.ndarray,
    epochs: int,
    hidden: tuple,
    lr: float = LR,
    device: str | None = None,
) -> dict:
    """One BPRegressor traingdx fit; per-epoch time and rejected-step counts."""
    model = BPRegressor(
        dtype=X.dtype.name,
        device=device,
        hidden_layer_sizes=hidden,
        solver="traingdx",
        division=None,
        scaling="mapstd",
        epochs=epochs,
        min_grad=0.0,
        goal=0.0,
        lr=lr,
        random_state=0,
    )
    seconds, _ = _timed(lambda: model.fit(X, y))
    lr = model.history_["lr"].to_numpy()
    perf = model.history_["perf"].to_numpy()
    n_epochs = int(model.n_epochs_)
    rejected = int(np.count_nonzero(lr[1:] < lr[:-1]))
    return {
        "seconds": seconds,
        "n_epochs": n_epochs,
        "per_epoch_s": seconds / max(n_epochs, 1),
        "stop_reason": model.stop_reason_,
        "rejected": rejected,
        "rejected_fraction": rejected / max(n_epochs, 1),
        "perf_unchanged": int(np.count_nonzero(perf[1:] == perf[:-1])),
        "final_mse": float(perf[-1]),
        "coefs_dtype": model.coefs_[0].dtype.name,
    }


def run_ours_setup(
    X: np.ndarray, y: np.ndarray, hidden: tuple, device: str | None = None
) -> float:
    """Fixed cost of a fit: ``epochs=0`` (validation, scaling, init, epoch 0)."""
    model = BPRegressor(
        dtype=X.dtype.name,
        device=device,
        hidden_layer_sizes=hidden,
        solver="traingdx",
        division=None,
        scaling="mapstd",
        epochs=0,
        min_grad=0.0,
        goal=0.0,
        random_state=0,
    )
    seconds, _ = _timed(lambda: model.fit(X, y))
    return seconds


def run_sklearn(
    X: np.ndarray, y: np.ndarray, epochs: int, hidden: tuple, lr: float = LR
) -> dict:
    """One full-batch MLPRegressor SGD fit; per-epoch time.

    It trains in the dtype of ``X`` (float32 or float64); ``coefs_dtype``
    records what it actually used.
    """
    n_samples = X.shape[0]
    model = MLPRegressor(
        hidden_layer_sizes=hidden,
        activation="tanh",
        solver="sgd",
        batch_size=n_samples,
        momentum=MOMENTUM,
        nesterovs_momentum=False,
        learning_rate="constant",
        learning_rate_init=lr,
        max_iter=epochs,
        tol=0.0,
        n_iter_no_change=epochs + 1,
        early_stopping=False,
        shuffle=False,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        seconds, _ = _timed(lambda: model.fit(X, y))
    n_iter = int(model.n_iter_)
    return {
        "seconds": seconds,
        "n_epochs": n_iter,
        "per_epoch_s": seconds / max(n_iter, 1),
        "final_loss": float(model.loss_),
        "coefs_dtype": model.coefs_[0].dtype.name,
    }


def numpy_loop(
    X: np.ndarray,
    Y: np.ndarray,
    epochs: int,
    hidden: tuple,
    seed: int = 0,
    lr: float = LR,
) -> float:
    """Full-batch gradient descent with momentum, written the obvious way.

    tanh hidden layers, linear output, mean squared error; every epoch is a
    forward pass, a backward pass and a momentum update, in the dtype of ``X``.
    Returns the last mse.
    """
    dtype = X.dtype
    rng = np.random.default_rng(seed)
    sizes = (X.shape[1], *hidden, Y.shape[1])
    weights, biases = [], []
    for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
        bound = math.sqrt(6.0 / (n_in + n_out))
        weights.append(rng.uniform(-bound, bound, size=(n_in, n_out)).astype(dtype))
        biases.append(np.zeros(n_out, dtype=dtype))
    vel_w = [np.zeros_like(W) for W in weights]
    vel_b = [np.zeros_like(b) for b in biases]
    n_layers = len(weights)
    n_samples = X.shape[0]
    loss = math.nan
    for _ in range(epochs):
        # forward
        acts = [X]
        for i in range(n_layers):
            z = acts[-1] @ weights[i] + biases[i]
            acts.append(np.tanh(z) if i < n_layers - 1 else z)
        err = acts[-1] - Y
        loss = float(np.mean(err**2))
        # backward
        delta = (2.0 / n_samples) * err
        grads_w = [None] * n_layers
        grads_b = [None] * n_layers
        for i in range(n_layers - 1, -1, -1):
            grads_w[i] = acts[i].T @ delta
            grads_b[i] = delta.sum(axis=0)
            if i > 0:
                delta = (delta @ weights[i].T) * (1.0 - acts[i] ** 2)
        # momentum update
        for i in range(n_layers):
            vel_w[i] = MOMENTUM * vel_w[i] - lr * grads_w[i]
            vel_b[i] = MOMENTUM * vel_b[i] - lr * grads_b[i]
            weights[i] += vel_w[i]
            biases[i] += vel_b[i]
    return loss


def run_numpy(
    X: np.ndarray, y: np.ndarray, epochs: int, hidden: tuple, lr: float = LR
) -> dict:
    Y = y.reshape(-1, 1)
    assert Y.dtype == X.dtype
    seconds, loss = _timed(lambda: numpy_loop(X, Y, epochs, hidden, lr=lr))
    return {
        "seconds": seconds,
        "n_epochs": epochs,
        "per_epoch_s": seconds / max(epochs, 1),
        "final_mse": loss,
    }


# -------------------------------------------------------------------- floor
def per_call_seconds(fn, repeats: int, min_batch_s: float) -> float:
    """Median seconds per call of ``fn`` over ``repeats`` timed batches."""
    fn()  # warm up
    number = 1
    while True:
        start = time.perf_counter()
        for _ in range(number):
            fn()
        elapsed = time.perf_counter() - start
        if elapsed >= min_batch_s or number >= 1 << 20:
            break
        number *= 2
    samples = [elapsed / number]
    for _ in range(repeats - 1):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        samples.append((time.perf_counter() - start) / number)
    return statistics.median(samples)


def gemm_rate(size: int, repeats: int, dtype: str = "float64") -> dict:
    """GFLOP/s of a ``size`` x ``size`` ``dtype`` matmul (median of repeats)."""
    rng = np.random.default_rng(1)
    A = rng.standard_normal((size, size), dtype=dtype)
    B = rng.standard_normal((size, size), dtype=dtype)
    C = np.empty((size, size), dtype=dtype)
    seconds = per_call_seconds(
        lambda: np.matmul(A, B, out=C), max(repeats, 3), min_batch_s=0.2
    )
    flops = 2.0 * size**3
    return {
        "size": size,
        "dtype": dtype,
        "seconds": seconds,
        "gflops": flops / seconds / 1e9,
    }


def epoch_products(
    n_samples: int, n_features: int, hidden: tuple
) -> list[tuple[str, tuple, tuple, bool, bool]]:
    """The matrix products of one full epoch: ``(name, a_shape, b_shape, aT, bT)``.

    Forward: ``A_i @ W_i`` per layer. Backward: ``A_i.T @ delta_i`` (weight
    gradient) per layer and ``delta_i @ W_i.T`` (delta back-propagation) for
    every layer but the first. Shapes are those of the stored arrays; the
    transposes are views, as in the training code.
    """
    sizes = (n_features, *hidden, N_OUTPUTS)
    names = ["X", *(f"H{i + 1}" for i in range(len(hidden)))]
    products = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
        products.append(
            (f"fwd {names[i]}@W{i + 1}", (n_samples, n_in), (n_in, n_out), False, False)
        )
    for i in range(len(sizes) - 2, -1, -1):
        n_in, n_out = sizes[i], sizes[i + 1]
        products.append(
            (
                f"bwd {names[i]}.T@d{i + 1}",
                (n_samples, n_in),
                (n_samples, n_out),
                True,
                False,
            )
        )
        if i > 0:
            products.append(
                (
                    f"bwd d{i + 1}@W{i + 1}.T",
                    (n_samples, n_out),
                    (n_in, n_out),
                    False,
                    True,
                )
            )
    return products


def matmul_floor(
    case: Case, repeats: int, min_batch_s: float, dtype: str = "float64"
) -> dict:
    """Flops and measured numpy-matmul time of one epoch's products, plus tanh.

    All arrays are ``dtype``.
    """
    rng = np.random.default_rng(2)
    rows = []
    n_samples = case.n_samples
    for name, a_shape, b_shape, a_t, b_t in epoch_products(
        n_samples, case.n_features, case.hidden
    ):
        a = rng.standard_normal(a_shape, dtype=dtype)
        b = rng.standard_normal(b_shape, dtype=dtype)
        a_op = a.T if a_t else a
        b_op = b.T if b_t else b
        m, k = a_op.shape
        n = b_op.shape[1]
        matmul_s = per_call_seconds(lambda a=a_op, b=b_op: a @ b, repeats, min_batch_s)
        seconds, how = matmul_s, "matmul"
        if k == 1:
            # An outer product: numpy's matmul does it outside BLAS, slowly;
            # broadcasting gives the same result faster, so the floor uses it.
            row = b_op[0]
            seconds = per_call_seconds(
                lambda a=a_op, r=row: a * r, repeats, min_batch_s
            )
            how = "broadcast"
        rows.append(
            {
                "name": name,
                "shape": f"({m},{k})@({k},{n})",
                "flops": 2.0 * m * k * n,
                "seconds": seconds,
                "matmul_seconds": matmul_s,
                "method": how,
                "phase": name.split()[0],
            }
        )
    tanh_s = 0.0
    for h in case.hidden:
        z = rng.standard_normal((n_samples, h), dtype=dtype)
        tanh_s += per_call_seconds(lambda z=z: np.tanh(z), repeats, min_batch_s)
    return {"products": rows, "tanh_seconds": tanh_s}


# --------------------------------------------------------------------- BLAS
def _loadavg() -> float:
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return math.nan


def blas_info() -> list[dict]:
    """threadpoolctl's view of the loaded BLAS/OpenMP libraries."""
    keep = (
        "user_api",
        "internal_api",
        "prefix",
        "version",
        "architecture",
        "threading_layer",
        "num_threads",
        "filepath",
    )
    return [
        {k: lib.get(k) for k in keep if k in lib}
        for lib in threadpoolctl.threadpool_info()
    ]


def numpy_blas(info: list[dict]) -> dict | None:
    """The BLAS entry that numpy itself links (the one doing our matmuls)."""
    blas = [lib for lib in info if lib.get("user_api") == "blas"]
    for lib in blas:
        if "numpy" in (lib.get("filepath") or ""):
            return lib
    return blas[0] if blas else None


# -------------------------------------------------------------------- main
def bench_case(
    case: Case, gflops: float, dtype: str = "float64", device: str | None = None
) -> dict:
    n_samples, epochs, repeats, hidden = (
        case.n_samples,
        case.epochs,
        case.repeats,
        case.hidden,
    )
    X, y = make_data(n_samples, case.n_features, dtype=dtype)
    # One untimed warm-up of each method (imports, caches, page faults).
    warm = max(1, min(epochs, 3))
    lr = case.lr
    run_ours(X, y, warm, hidden, lr, device)
    run_sklearn(X, y, warm, hidden, lr)
    run_numpy(X, y, warm, hidden, lr)

    ours, skl, npy, setup = [], [], [], []
    for _ in range(repeats):
        ours.append(run_ours(X, y, epochs, hidden, lr, device))
        skl.append(run_sklearn(X, y, epochs, hidden, lr))
        npy.append(run_numpy(X, y, epochs, hidden, lr))
        setup.append(run_ours_setup(X, y, hidden, device))

    min_batch = 0.02 if repeats > 1 else 0.005
    floor = matmul_floor(case, max(repeats, 3), min_batch, dtype)
    flops_fwd = sum(p["flops"] for p in floor["products"] if p["phase"] == "fwd")
    flops_bwd = sum(p["flops"] for p in floor["products"] if p["phase"] == "bwd")
    mm_fwd = sum(p["seconds"] for p in floor["products"] if p["phase"] == "fwd")
    mm_bwd = sum(p["seconds"] for p in floor["products"] if p["phase"] == "bwd")

    ours_s = statistics.median(r["per_epoch_s"] for r in ours)
    skl_s = statistics.median(r["per_epoch_s"] for r in skl)
    npy_s = statistics.median(r["per_epoch_s"] for r in npy)
    setup_s = statistics.median(setup)
    # Per epoch with the fixed cost of a fit (epochs=0) taken out.
    ours_loop_s = max(statistics.median(r["seconds"] for r in ours) - setup_s, 0.0)
    ours_loop_s /= max(epochs, 1)
    rej = statistics.median(r["rejected_fraction"] for r in ours)
    floor_s = (flops_fwd + flops_bwd) / (gflops * 1e9)
    # Work ours actually does: a forward pass every epoch, a backward pass
    # only on accepted ones.
    floor_ours_s = (flops_fwd + (1.0 - rej) * flops_bwd) / (gflops * 1e9)
    return {
        "n_samples": n_samples,
        "network": case.network,
        "n_features": case.n_features,
        "hidden": list(hidden),
        "lr": lr,
        "dtype": dtype,
        "ours_coefs_dtype": ours[0]["coefs_dtype"],
        "sklearn_coefs_dtype": skl[0]["coefs_dtype"],
        "epochs": epochs,
        "repeats": repeats,
        "ours_ms": 1e3 * ours_s,
        "ours_min_ms": 1e3 * min(r["per_epoch_s"] for r in ours),
        "ours_loop_ms": 1e3 * ours_loop_s,
        "sklearn_min_ms": 1e3 * min(r["per_epoch_s"] for r in skl),
        "numpy_min_ms": 1e3 * min(r["per_epoch_s"] for r in npy),
        "sklearn_ms": 1e3 * skl_s,
        "numpy_ms": 1e3 * npy_s,
        "floor_ms": 1e3 * floor_s,
        "floor_ours_ms": 1e3 * floor_ours_s,
        "matmul_ms": 1e3 * (mm_fwd + mm_bwd),
        "matmul_fwd_ms": 1e3 * mm_fwd,
        "matmul_bwd_ms": 1e3 * mm_bwd,
        "tanh_ms": 1e3 * floor["tanh_seconds"],
        "flops_per_epoch": flops_fwd + flops_bwd,
        "flops_fwd": flops_fwd,
        "flops_bwd": flops_bwd,
        "ours_rejected_fraction": rej,
        "ours_setup_ms": 1e3 * setup_s,
        "ratio_sklearn_over_ours": skl_s / ours_s,
        "ratio_numpy_over_ours": npy_s / ours_s,
        "ratio_ours_over_floor": ours_s / floor_s,
        "ratio_ours_over_matmul": ours_s / (mm_fwd + mm_bwd),
        # Share of the large-GEMM rate each method reaches: the products'
        # flops at that rate over the measured epoch. Ours counts the work it
        # does (backward only on accepted steps) and leaves out the fixed cost
        # of a fit (the "with setup" figure keeps it in).
        "ours_gemm_fraction": floor_ours_s / ours_loop_s if ours_loop_s else math.nan,
        "ours_gemm_fraction_with_setup": floor_ours_s / ours_s,
        "sklearn_gemm_fraction": floor_s / skl_s,
        "numpy_gemm_fraction": floor_s / npy_s,
        "ours_runs": ours,
        "sklearn_runs": skl,
        "numpy_runs": npy,
        "products": floor["products"],
    }


def _label(r: dict) -> str:
    """``n`` and the network of a result row, fixed width."""
    return f"{r['n_samples']:>8} {r['network']:>14}"


def _print_table(title: str, head: str, lines: list[str]) -> None:
    """A title, a header, a rule and one line per result."""
    print()
    print(title)
    print(head)
    print("-" * len(head))
    for line in lines:
        print(line)


def _med_min(median_ms: float, min_ms: float) -> str:
    return f"{median_ms:>8.3f} ({min_ms:>7.3f})"


def print_tables(
    results: list[dict], gemm: dict, blas: dict | None, threads, dtype: str = "float64"
) -> None:
    lib = blas or {}
    print(
        f"BLAS (numpy): {lib.get('internal_api')} {lib.get('version')}, "
        f"kernel {lib.get('architecture')}, {lib.get('num_threads')} thread(s)"
        f"  [--threads {threads if threads is not None else 'not set'}]"
    )
    print(
        f"GEMM {gemm['size']}x{gemm['size']} {dtype}: {gemm['gflops']:.1f} GFLOP/s"
        f"   (CPUs: {os.cpu_count()})"
    )
    print(
        f"Networks {', '.join(sorted({r['network'] for r in results}))}: tanh "
        f"hidden, linear output, {dtype}, full batch  [--dtype {dtype}]."
    )
    # What the fitted models actually hold (sklearn follows the dtype of X).
    ours_dt = sorted({r["ours_coefs_dtype"] for r in results})
    skl_dt = sorted({r["sklearn_coefs_dtype"] for r in results})
    print(
        f"Trained weights: ours coefs_ {'/'.join(ours_dt)}, "
        f"sklearn MLPRegressor coefs_ {'/'.join(skl_dt)}"
    )
    if ours_dt != [dtype] or skl_dt != [dtype]:
        print(f"WARNING: a model did not train in {dtype}: {ours_dt}, {skl_dt}")
    _print_table(
        f"Per-epoch time, ms, {dtype}: median of the repeats (min in brackets)",
        f"{'n':>8} {'network':>14} {'E':>4} | {'ours':>17} {'rej%':>5} "
        f"{'ours-setup':>10} | {'sklearn':>17} | {'numpy loop':>17}",
        [
            f"{_label(r)} {r['epochs']:>4} | "
            f"{_med_min(r['ours_ms'], r['ours_min_ms'])} "
            f"{100 * r['ours_rejected_fraction']:>5.1f} {r['ours_loop_ms']:>10.3f} | "
            f"{_med_min(r['sklearn_ms'], r['sklearn_min_ms'])} | "
            f"{_med_min(r['numpy_ms'], r['numpy_min_ms'])}"
            for r in results
        ],
    )
    _print_table(
        f"Floor of one full epoch (forward + backward), ms, {dtype}",
        f"{'n':>8} {'network':>14} | {'MFLOP':>8} {'flops/GEMM':>10} {'matmul':>8} "
        f"{'(fwd':>8} {'bwd)':>8} | {'tanh':>8}",
        [
            f"{_label(r)} | {r['flops_per_epoch'] / 1e6:>8.1f} "
            f"{r['floor_ms']:>10.3f} {r['matmul_ms']:>8.3f} "
            f"{r['matmul_fwd_ms']:>8.3f} {r['matmul_bwd_ms']:>8.3f} | "
            f"{r['tanh_ms']:>8.3f}"
            for r in results
        ],
    )
    _print_table(
        f"Ratios of median per-epoch times, {dtype} "
        "(> 1 for the anchors: ours is faster)",
        f"{'n':>8} {'network':>14} | {'sklearn/ours':>12} {'numpy/ours':>10} | "
        f"{'ours/floor':>10} {'ours/matmul':>11} | {'ours setup ms':>13}",
        [
            f"{_label(r)} | {r['ratio_sklearn_over_ours']:>12.2f} "
            f"{r['ratio_numpy_over_ours']:>10.2f} | "
            f"{r['ratio_ours_over_floor']:>10.1f} {r['ratio_ours_over_matmul']:>11.1f} "
            f"| {r['ours_setup_ms']:>13.2f}"
            for r in results
        ],
    )
    _print_table(
        "Share of the GEMM rate reached (epoch flops at the GEMM rate / epoch "
        "time; ours without, and with, the fixed cost of a fit)",
        f"{'n':>8} {'network':>14} | {'ours':>6} {'(+setup)':>8} | "
        f"{'sklearn':>7} | {'numpy':>6}",
        [
            f"{_label(r)} | {100 * r['ours_gemm_fraction']:>5.0f}% "
            f"{100 * r['ours_gemm_fraction_with_setup']:>7.0f}% | "
            f"{100 * r['sklearn_gemm_fraction']:>6.0f}% | "
            f"{100 * r['numpy_gemm_fraction']:>5.0f}%"
            for r in results
        ],
    )
    for r in results:
        bad = [x["stop_reason"] for x in r["ours_runs"] if x["stop_reason"] != "epochs"]
        if bad:
            print(f"WARNING {_label(r)}: ours stopped early: {bad}")
    print()
    print(f"Matrix products of one epoch (measured numpy matmul, {dtype}, median):")
    for r in results:
        parts = ", ".join(
            f"{p['name']} {1e6 * p['seconds']:.1f}us"
            + (" (broadcast)" if p["method"] == "broadcast" else "")
            for p in r["products"]
        )
        print(f"  n={r['n_samples']} {r['network']}: {parts}")


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="apply threadpoolctl.threadpool_limits(N) (default: leave as is)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke run: tiny epochs, small sizes, one repeat",
    )
    parser.add_argument(
        "--repeats",
        type=int,
        default=None,
        help="repeats per measurement (default: 5 at n=1,000, 3 at n=100,000)",
    )
    parser.add_argument(
        "--dtype",
        choices=DTYPES,
        default="float64",
        help="floating-point type of the data, the weights and every computation "
        "(ours, sklearn, numpy loop, GEMM rate, matmul floor); default float64",
    )
    parser.add_argument(
        "--device",
        default=None,
        help="train ours with BPRegressor(device=...), e.g. 'cuda' (CuPy on a "
        "GPU); the anchors and the floor stay on the CPU (default: numpy)",
    )
    return parser.parse_args(argv)


def main(argv=None) -> dict:
    args = parse_args(argv)
    cases = QUICK_CASES if args.quick else FULL_CASES
    if args.repeats is not None:
        cases = tuple(case._replace(repeats=args.repeats) for case in cases)
    gemm_size = QUICK_GEMM_SIZE if args.quick else FULL_GEMM_SIZE
    limits = (
        threadpoolctl.threadpool_limits(args.threads)
        if args.threads is not None
        else nullcontext()
    )
    load_before = _loadavg()
    start = time.perf_counter()
    with limits:
        info = blas_info()
        gemm = gemm_rate(gemm_size, 1 if args.quick else 5, args.dtype)
        results = [
            bench_case(case, gemm["gflops"], args.dtype, args.device) for case in cases
        ]
    total = time.perf_counter() - start
    load_after = _loadavg()
    blas = numpy_blas(info)
    if args.device is not None:
        print(
            f"Ours trained with device={args.device!r}. scikit-learn, the numpy "
            "loop, the GEMM rate and the floor are CPU figures, so the GEMM-share "
            "columns compare ours with the CPU's BLAS.\n"
        )
    print_tables(results, gemm, blas, args.threads, args.dtype)
    print(
        f"\nTotal benchmark time: {total:.1f} s; load average (1 min) "
        f"{load_before:.2f} before, {load_after:.2f} after"
    )
    # The 1-minute load average counts this benchmark too once it has run.
    if load_before > 0.5 or load_after > (os.cpu_count() or 1) + 0.5:
        print(
            "NOTE: other processes were using the CPUs; BLAS with several "
            "threads degrades badly under load (try --threads 1 or rerun)."
        )
    record = {
        "benchmark": "bench_train",
        "quick": bool(args.quick),
        "threads_option": args.threads,
        "dtype": args.dtype,
        "device": args.device,
        "networks": [
            {
                "n_samples": case.n_samples,
                "n_features": case.n_features,
                "hidden": list(case.hidden),
                "n_outputs": N_OUTPUTS,
                "dtype": args.dtype,
            }
            for case in cases
        ],
        "gemm": gemm,
        "blas": blas,
        "threadpool_info": info,
        "versions": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "sklearn": sklearn.__version__,
            "bpforecast": bpforecast.__version__,
        },
        "machine": {"cpu_count": os.cpu_count(), "platform": platform.platform()},
        "total_seconds": total,
        "loadavg_1min": {"before": load_before, "after": load_after},
        "results": results,
    }
    print(json.dumps(record))
    return record


if __name__ == "__main__":
    main()
