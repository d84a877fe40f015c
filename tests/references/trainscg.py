"""Reference of MATLAB's ``trainscg`` (Møller's scaled conjugate gradient).

Shares no code with bpforecast; the network is :mod:`references.mlp`.

Sources
-------
[TS12]  ``trainscg.m`` of the Neural Network Toolbox, ``calcLib`` version
        (R2012b and later), ``train_network``; public copies in GitHub
        mirrors of the toolbox (library ``find_string`` on
        ``difk = 2*deltak*(perf - perf_temp)``).  Its ``gWB`` is the
        *negative* gradient (``dWB = gWB`` is the first direction and
        ``WB + alphak*dWB`` with ``alphak = dWB'*gWB / deltak > 0`` the step).
[TS10]  The 2008-2011 versions (``gX = -calcgx(...)``, ``dX = -gX``): the
        same algorithm with the opposite sign convention; the only other
        difference is that the oldest copy lacks the ``nrmsqr_dX ~= 0``
        guard of step 9.
[CL12]  ``nnCalcLib.grad`` / ``perfsGrad``: with ``mse`` the gradient and
        the performance are divided by the number of errors N, so SCG works
        on perf = mse and its gradient (of the *mean*, with the factor 2);
        ``gradient = sqrt(gWB'*gWB)`` = ||grad mse||.
[VAL]   ``nntraining.validation``: vperf < best -> best, val_fail = 0;
        vperf > best -> val_fail += 1; no validation: best = lowest perf.
[DOC]   MathWorks' trainscg page: epochs 1000, goal 0, min_grad 1e-6,
        max_fail 6, sigma 5.0e-5, lambda 5.0e-7 (and mu 0.005, listed but
        not used by the code).
[M93]   Møller 1993, Neural Networks 6:525-533 (the algorithm MATLAB codes).

The algorithm (g = grad mse, d the search direction, P = number of weights
and biases, all vectors flat)
---------------------------------------------------------------------------
 1. At x0: perf, g, gradient = ||g||; d = -g; nrmsqr = d'd; norm = sqrt;
    success = 1, lambdab = 0, lambdak = lambda.  [TS12]
 2. For epoch = 0, 1, ...: record, then stop tests in this order [TS12]:
    perf <= goal -> 'goal'; epoch == epochs -> 'epochs'; (time);
    gradient <= min_grad -> 'min_grad'; val_fail >= max_fail ->
    'max_fail' (val_fail stays 0 without a validation set, so this test is
    off then).
 3. If success: sigmak = sigma / norm; sk = (g(x + sigmak d) - g) / sigmak;
    deltak = d'sk.  (Otherwise deltak is the previous epoch's, already
    scaled.)
 4. deltak = deltak + (lambdak - lambdab) * nrmsqr.
 5. If deltak <= 0: lambdab = 2 (lambdak - deltak / nrmsqr);
    deltak = -deltak + lambdak nrmsqr; lambdak = lambdab.
 6. muk = -d'g; alphak = muk / deltak; x_temp = x + alphak d;
    perf_temp, g_temp at x_temp.
 7. difk = 2 deltak (perf - perf_temp) / muk^2.
 8. If difk >= 0 (accept): g_old = g; x, perf, g = x_temp, perf_temp,
    g_temp; gradient = ||g||; lambdab = 0; success = 1;
    if rem(epoch, P) == 0: d = -g (restart; note this fires at epoch 0, so
    the first accepted step always restarts), else
    betak = (g'g - g'g_old) / muk; d = -g + betak d;
    nrmsqr = d'd; norm = sqrt(nrmsqr);
    if difk >= 0.75: lambdak = 0.25 lambdak.
    Else (reject): lambdab = lambdak; success = 0.
 9. If difk < 0.25 and nrmsqr != 0: lambdak = lambdak + deltak (1 - difk)
    / nrmsqr.  (A NaN difk, e.g. a non-finite perf_temp, fails every test:
    the step is rejected and lambdak is left as it is.)
10. Validation [VAL] at the current (new or unchanged) weights: with a
    validation set a rejected epoch repeats the previous vperf, and counts
    as a failure if that is above the best.

Record (state at the start of each epoch, before its step): perf,
gradient, lambdak, lambdab, success, vperf, val_fail; per step (NaN on the
last row): deltak (after steps 4-5), muk, alphak, difk, accepted,
indefinite (step 5's branch was taken).

Not modelled: ``time``, user stop, input/output processing.

Rounding-noise floor
--------------------
Measured with :func:`references.order_floor` (the same reference on the
samples in reversed order), on the sine problem of the tests (41 samples,
noise sd 0.1, seed 0), Nguyen-Widrow-like starts of seeds 0-4, 1-5-1 and
1-20-1 networks, epochs=1000, min_grad=0; max over the epochs of
|a - b| / max(|a|, |b|):

* SCG amplifies rounding: step 3's finite difference of gradients
  (sigma = 5e-5) loses ~4 digits, and conjugate directions carry errors
  forward.  The perf difference grows roughly exponentially: <= 2e-8 at
  epoch 25, 9e-8 .. 6e-3 at epoch 100, ~1e-2 at epoch 300 and 2e-2 .. 8e-2
  at epoch 1000 (every seed and size).  The accept/reject decisions stayed
  identical over the 1000 epochs in 9 of the 10 runs (1-5-1 seed 4 parted at
  epoch 191); lambdak differs by the factor 4 of step 8 once a
  ``difk >= 0.75`` decision differs.
* So over 1000 epochs the floor is ~1e-1, not 1e-10: an epoch-by-epoch
  comparison at 1e-10 holds only for the first ~10-20 epochs; for longer
  runs use the floor of the same epoch range (the table above), or a convex
  problem (the linear network of the tests reaches the least-squares
  solution in P + 1 epochs).
"""

from __future__ import annotations

import math

import numpy as np

from . import mlp

#: Measured rounding-noise floor of the perf history (see module docstring).
FLOORS = {
    "perf, first 25 epochs": 2e-8,
    "perf, first 100 epochs": 6e-3,
    "perf, first 300 epochs": 4e-2,
    "perf, 1000 epochs": 8.2e-2,
}


def train_trainscg(
    theta0,
    X,
    Y,
    layer_sizes,
    *,
    sigma=5.0e-5,
    lambda_=5.0e-7,
    epochs=1000,
    goal=0.0,
    min_grad=1e-6,
    max_fail=6,
    validation=None,
):
    """Run MATLAB's trainscg from ``theta0``; return the per-epoch record.

    ``lambda_`` is MATLAB's ``trainParam.lambda`` (a Python keyword).  See
    the module docstring for the record's keys; also ``theta`` (last
    weights), ``best_theta`` (MATLAB's returned weights: lowest validation
    error, or lowest training perf without validation), ``stop_reason``,
    ``n_epochs``.
    """
    X = np.asarray(X, dtype=float)
    Y = np.asarray(Y, dtype=float)
    x = np.array(theta0, dtype=float)
    P = x.size
    do_val = validation is not None
    if do_val:
        Xv, Yv = (np.asarray(a, dtype=float) for a in validation)

    def perf_grad(w):
        with np.errstate(over="ignore", invalid="ignore"):
            return mlp.mse_and_gradient(w, X, Y, layer_sizes)

    # 1. initial state
    perf, g = perf_grad(x)
    gradient = math.sqrt(float(g @ g))
    d = -g
    nrmsqr = float(d @ d)
    norm_d = math.sqrt(nrmsqr)
    success, lambdab, lambdak = 1, 0.0, float(lambda_)
    deltak = math.nan

    vperf = mlp.mse(x, Xv, Yv, layer_sizes) if do_val else math.nan
    best_perf, best_vperf, best_theta, val_fail = perf, vperf, x.copy(), 0

    keys = ("perf", "gradient", "lambdak", "lambdab", "success", "vperf",
            "val_fail", "deltak", "muk", "alphak", "difk", "accepted",
            "indefinite")  # fmt: skip
    rec = {k: [] for k in keys}
    stop_reason = ""
    epoch = 0
    while True:
        # 2. record, stopping tests
        for key, value in (
            ("perf", perf), ("gradient", gradient), ("lambdak", lambdak),
            ("lambdab", lambdab), ("success", success), ("vperf", vperf),
            ("val_fail", val_fail),
        ):  # fmt: skip
            rec[key].append(value)
        if perf <= goal:
            stop_reason = "goal"
        elif epoch == epochs:
            stop_reason = "epochs"
        elif gradient <= min_grad:
            stop_reason = "min_grad"
        elif val_fail >= max_fail:
            stop_reason = "max_fail"
        if stop_reason:
            for key in ("deltak", "muk", "alphak", "difk"):
                rec[key].append(math.nan)
            rec["accepted"].append(False)
            rec["indefinite"].append(False)
            break

        # 3. second-order information along d
        if success == 1:
            sigmak = sigma / norm_d
            _, g_sig = perf_grad(x + sigmak * d)
            sk = (g_sig - g) / sigmak
            deltak = float(d @ sk)

        # 4-5. scale deltak, make it positive
        deltak = deltak + (lambdak - lambdab) * nrmsqr
        rec["indefinite"].append(deltak <= 0)
        if deltak <= 0:
            lambdab = 2.0 * (lambdak - deltak / nrmsqr)
            deltak = -deltak + lambdak * nrmsqr
            lambdak = lambdab

        # 6. step
        muk = -float(d @ g)
        alphak = muk / deltak
        x_temp = x + alphak * d
        perf_temp, g_temp = perf_grad(x_temp)

        # 7. comparison parameter
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            difk = 2.0 * deltak * (perf - perf_temp) / (muk * muk)
        rec["deltak"].append(deltak)
        rec["muk"].append(muk)
        rec["alphak"].append(alphak)
        rec["difk"].append(difk)

        # 8. accept or reject
        if difk >= 0:
            g_old = g
            x, perf, g = x_temp, perf_temp, g_temp
            gradient = math.sqrt(float(g @ g))
            lambdab = 0.0
            success = 1
            if epoch % P == 0:
                d = -g
            else:
                betak = (float(g @ g) - float(g @ g_old)) / muk
                d = -g + betak * d
            nrmsqr = float(d @ d)
            norm_d = math.sqrt(nrmsqr)
            if difk >= 0.75:
                lambdak = 0.25 * lambdak
            rec["accepted"].append(True)
        else:
            lambdab = lambdak
            success = 0
            rec["accepted"].append(False)

        # 9. raise lambda after a poor step
        if difk < 0.25 and nrmsqr != 0:
            lambdak = lambdak + deltak * (1.0 - difk) / nrmsqr

        # 10. validation
        if do_val:
            vperf = mlp.mse(x, Xv, Yv, layer_sizes) if difk >= 0 else vperf
            if math.isfinite(vperf):
                if vperf < best_vperf:
                    best_vperf, best_theta, val_fail = vperf, x.copy(), 0
                elif vperf > best_vperf:
                    val_fail += 1
                best_perf = min(best_perf, perf)
            elif perf < best_perf:
                best_perf, best_theta = perf, x.copy()
        elif perf < best_perf:
            best_perf, best_theta = perf, x.copy()
        epoch += 1

    out = {k: np.asarray(v) for k, v in rec.items()}
    out.update(theta=x, best_theta=best_theta, stop_reason=stop_reason, n_epochs=epoch)
    return out
