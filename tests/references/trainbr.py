"""Reference of MATLAB's ``trainbr`` (Bayesian regularisation), written plainly.

Shares no code with bpforecast; the network is :mod:`references.mlp`.

Sources
-------
[TB12]  ``trainbr.m`` of the Neural Network Toolbox, "Copyright 1992-2012,
        Revision 1.1.6.22, 2012/04/20", the ``calcLib`` version (R2012b and
        later): ``train_network``.  Public copies are in GitHub mirrors of the
        toolbox (found with the library's ``find_string`` on
        ``gamk = numParameters``).
[CL12]  ``nnCalcLib.perfsJEJJ`` (same toolbox): for ``mse`` (``perfNorm``)
        it divides ``JE = J'E``, ``JJ = J'J`` and the performance by the
        number of errors ``N``, and returns ``gradient = 2*sqrt(sum(JE.^2))``.
[TB10]  The older ``trainbr.m`` versions (2008-2011, ``calcperf2`` /
        ``nntraining.perfs_jejj``); used only to note differences.
[DOC]   MathWorks' trainbr page (docs corpus, mathworks.com/help/nnet/ref/
        trainbr.html): defaults epochs 1000, goal 0, mu 0.005, mu_dec 0.1,
        mu_inc 10, mu_max 1e10, max_fail 0 ("Validation stops are disabled
        by default (max_fail = 0)"; some recent pages say ``inf``),
        min_grad 1e-7; "minimizes a combination of squared errors, weights,
        and biases".
[FH97]  Foresee & Hagan 1997, MacKay 1992: F = beta*E_D + alpha*E_W,
        gamma = N_w - 2 alpha tr((grad^2 F)^-1), alpha = gamma / (2 E_W),
        beta = (N - gamma) / (2 E_D).

Scaling (what MATLAB really computes)
-------------------------------------
With ``mse`` (the default of feedforwardnet/fitnet) the toolbox works in the
*mean* scale [CL12]: ``ssE = mse = E_D / N``, ``je = J'e / N``,
``jj = J'J / N`` (``perfFactor`` is set to ``numErrors`` and then overwritten
with 1 [TB12]), and its variable ``beta_m = (N - gamma) / (2 mse)``.  Since
``beta_m * mse = beta * E_D`` with ``beta = beta_m / N`` (the sum-scale beta
of [FH97]) and ``beta_m * jj = beta * J'J``, this is the same F, the same
step and the same alpha as the sum-of-squares formulation, in exact
arithmetic.  The record gives both: ``beta`` (sum scale, the issue's
definition F = beta*E_D + alpha*E_W) and ``beta_matlab`` (= N * beta).

E_W includes the biases: ``ssX = X'*X`` over ``getwb(net)``, every weight and
bias [TB12]; [DOC] says "squared errors, weights, and biases".

The algorithm (numbered as the code below; N = number of errors
= n_samples * n_outputs, Nw = number of weights and biases)
-------------------------------------------------------------------------
 1. At x0: mse, je = J'e/N, jj = J'J/N, gradient = 2*||je|| (= ||grad mse||)
    [CL12].
 2. gamk = Nw; beta_m = (N - gamk) / (2*mse), or 1 if mse == 0; if
    beta_m <= 0 then beta_m = 1 (so with Nw >= N the first epoch uses
    beta_m = 1, e.g. the 1-20-1 / 41-sample problem); ssX = x'x;
    alpha = gamk / (2*ssX); F = beta_m*mse + alpha*ssX  [TB12].
 3. For epoch = 0, 1, ...: record (mse, mu, gradient, gamk, ssX, alpha,
    beta, F) *before* the step [TB12 ``tr_update``], then test, in this
    order [TB12]: mse <= goal -> 'goal'; epoch == epochs -> 'epochs';
    (time); gradient <= min_grad -> 'min_grad' (gradient of the mse, not
    of F); mu >= mu_max -> 'mu_max'; and, only when a validation set is
    given and 0 < max_fail < inf, val_fail >= max_fail -> 'max_fail'
    (our choice: [TB12] has no validation test at all, it merges the
    validation samples into training; [DOC] says validation stops are
    enabled by a strictly positive max_fail; the test is placed where
    bpforecast's loop puts it, after mu_max).
 4. Levenberg-Marquardt: while mu <= mu_max:
      dx = -(beta_m*jj + (mu + alpha) I) \\ (beta_m*je + alpha*x);
      x2 = x + dx; ssX2 = x2'x2; F2 = beta_m*mse(x2) + alpha*ssX2;
      if F2 < F and dx is finite and the solve raised no singular-matrix
      warning: x = x2, ssX = ssX2, F = F2, mu = max(mu*mu_dec, 1e-20),
      break;  otherwise mu = mu*mu_inc.  [TB12]
    The warning test is MATLAB's ``lastwarn`` check around ``\\``; here it is
    "reciprocal 1-norm condition number < eps" (MATLAB warns when LAPACK's
    rcond estimate is below eps): a choice, it only matters for nearly
    singular systems.
 5. mse, je, jj, gradient are recomputed at x (new or unchanged) [TB12:
    ``perfsJEJJ`` after the loop; in [TB10] ``jj`` was the one from the
    start of the epoch].
 6. If mu <= mu_max (the epoch did not fail) [TB12]:
      gamk = Nw - alpha * trace(inv(beta_m*jj + alpha I))   (old alpha and
             beta_m, jj at the new x; this is Nw - 2 alpha tr((grad^2 F)^-1)
             with the Gauss-Newton Hessian grad^2 F = 2 (beta_m jj + alpha I))
      alpha = gamk / (2*ssX), or 1 if ssX == 0
      beta_m = (N - gamk) / (2*mse), or 1 if mse == 0   (no "<= 0" guard here)
      F = beta_m*mse + alpha*ssX.
    When the epoch failed (mu > mu_max) nothing is updated and step 3 stops
    with 'mu_max' on the next epoch.
 7. (Only with a validation set and max_fail > 0.)  MATLAB's
    ``nntraining.validation`` rule: vperf < best -> best = vperf,
    val_fail = 0; vperf > best -> val_fail += 1; equal -> unchanged.
    [TB12] itself returns the last weights (``best.net = calcNet`` every
    epoch); the returned ``theta`` is the last one, ``best_theta`` the one
    with the lowest validation error when validation is on.

Not modelled: ``time``, user stop, MATLAB's input/output processing
(mapminmax): the reference works on the data it is given.

Rounding-noise floor
--------------------
Measured with :func:`references.order_floor` (the same reference on the
samples in reversed order), on the sine problem of the tests (41 samples,
noise sd 0.1, seed 0), Nguyen-Widrow-like starts of seeds 0-4, 1-5-1 and
1-20-1 networks, epochs=1000, min_grad=0; max over the epochs of
|a - b| / max(|a|, |b|):

* 1-20-1 (MATLAB's example; every run stops at mu_max after 435-515
  epochs): perf <= 3e-11 over the first 300 epochs; over the whole run
  perf <= 3.5e-8 and gamk, alpha, beta, ssX <= 1.7e-7.  Near convergence
  the accept test F2 < F is decided by rounding, so the two runs' mu
  sequences part 30-40 epochs before the end (first at epochs 408-475) and
  the mu_max stop comes up to 10 epochs apart: compare mu and the stop epoch
  only up to the first differing accept/reject decision.
* 1-5-1: seed 0 perf <= 3.1e-10 (stops at mu_max, epoch ~108); seeds 1-4
  collapse within 13-28 epochs to the all-zero network (gamma -> 0, alpha ->
  1e18, then NaN) and differ by 1.6e-4 in perf there: degenerate runs, not
  suitable for exactness tests.
"""

from __future__ import annotations

import math

import numpy as np

from . import mlp

MU_MIN = 1e-20

#: Measured rounding-noise floor of the perf history (see module docstring).
FLOORS = {
    "perf, first 300 epochs": 3e-11,
    "perf, whole run (1-20-1)": 3.5e-8,
    "gamk/alpha/beta/ssX, whole run (1-20-1)": 1.7e-7,
}


def _linearize(x, X, Y, layer_sizes):
    """``(mse, je, jj, gradient)`` in MATLAB's mean scale [CL12]."""
    J, e = mlp.jacobian_and_errors(x, X, Y, layer_sizes)
    N = e.size
    value = float(e @ e) / N
    je = (J.T @ e) / N
    jj = (J.T @ J) / N
    return value, je, jj, 2.0 * math.sqrt(float(je @ je))


def _solve_with_warning_flag(A, b):
    """``(x, ok)``: ``A \\ b`` and whether MATLAB would have warned."""
    try:
        cond = np.linalg.cond(A, 1)
        x = np.linalg.solve(A, b)
    except np.linalg.LinAlgError:
        return np.full_like(b, np.nan), False
    ok = bool(np.isfinite(cond)) and 1.0 / cond >= np.finfo(float).eps
    return x, ok


def _trace_inv(A) -> float:
    """``trace(inv(A))``; ``inf`` when A is exactly singular (MATLAB's ``inv``
    warns and returns Inf entries then)."""
    try:
        return float(np.trace(np.linalg.inv(A)))
    except np.linalg.LinAlgError:
        return math.inf


def train_trainbr(
    theta0,
    X,
    Y,
    layer_sizes,
    *,
    mu=0.005,
    mu_dec=0.1,
    mu_inc=10.0,
    mu_max=1e10,
    epochs=1000,
    goal=0.0,
    min_grad=1e-7,
    max_fail=0,
    validation=None,
):
    """Run MATLAB's trainbr from ``theta0``; return the per-epoch record.

    Parameters
    ----------
    theta0 : array (n_params,)
        Starting weights, layout of :mod:`references.mlp`.
    X, Y : arrays (n_samples, n_in), (n_samples, n_out)
    layer_sizes : tuple
    mu, mu_dec, mu_inc, mu_max, epochs, goal, min_grad, max_fail :
        MATLAB's ``trainParam`` with MATLAB's defaults.
    validation : (Xv, Yv) or None
        Used only when ``0 < max_fail < inf``.

    Returns
    -------
    dict
        Arrays over the recorded epochs ``0..n_epochs`` (state at the start
        of each epoch, before its step): ``perf`` (mse), ``sse``, ``mu``,
        ``gradient`` (norm of the mse gradient), ``gamk``, ``ssX``,
        ``alpha``, ``beta`` (sum scale), ``beta_matlab`` (mean scale),
        ``F`` (= beta*sse + alpha*ssX), ``vperf``, ``val_fail``; per step
        (NaN/-1 on the last row): ``n_trials`` (values of mu tried),
        ``accepted``.  Scalars: ``theta`` (last weights), ``best_theta``,
        ``stop_reason``, ``n_epochs``.
    """
    X = np.asarray(X, dtype=float)
    Y = np.asarray(Y, dtype=float)
    x = np.array(theta0, dtype=float)
    Nw = x.size
    eye = np.eye(Nw)
    do_val = validation is not None and 0 < max_fail < math.inf
    if do_val:
        Xv, Yv = (np.asarray(a, dtype=float) for a in validation)

    # 1-2. initial state
    ssE, je, jj, gradient = _linearize(x, X, Y, layer_sizes)
    N = Y.size
    gamk = float(Nw)
    beta = 1.0 if ssE == 0 else (N - gamk) / (2.0 * ssE)
    if beta <= 0:
        beta = 1.0
    ssX = float(x @ x)
    alph = gamk / (2.0 * ssX)
    perf = beta * ssE + alph * ssX

    vperf = mlp.mse(x, Xv, Yv, layer_sizes) if do_val else math.nan
    best_vperf, best_theta, val_fail = vperf, x.copy(), 0

    rec = {k: [] for k in (
        "perf", "sse", "mu", "gradient", "gamk", "ssX", "alpha", "beta",
        "beta_matlab", "F", "vperf", "val_fail", "n_trials", "accepted",
    )}  # fmt: skip
    stop_reason = ""
    epoch = 0
    while True:
        # 3. record, then the stopping tests in MATLAB's order
        for key, value in (
            ("perf", ssE), ("sse", ssE * N), ("mu", mu), ("gradient", gradient),
            ("gamk", gamk), ("ssX", ssX), ("alpha", alph), ("beta", beta / N),
            ("beta_matlab", beta), ("F", perf), ("vperf", vperf),
            ("val_fail", val_fail),
        ):  # fmt: skip
            rec[key].append(value)
        if ssE <= goal:
            stop_reason = "goal"
        elif epoch == epochs:
            stop_reason = "epochs"
        elif gradient <= min_grad:
            stop_reason = "min_grad"
        elif mu >= mu_max:
            stop_reason = "mu_max"
        elif do_val and val_fail >= max_fail:
            stop_reason = "max_fail"
        if stop_reason:
            rec["n_trials"].append(0)
            rec["accepted"].append(False)
            break

        # 4. Levenberg-Marquardt on F: raise mu until F falls
        n_trials, accepted = 0, False
        while mu <= mu_max:
            n_trials += 1
            dx, ok = _solve_with_warning_flag(
                beta * jj + eye * (mu + alph), beta * je + alph * x
            )
            dx = -dx
            x2 = x + dx
            ssX2 = float(x2 @ x2)
            with np.errstate(over="ignore", invalid="ignore"):
                perf2 = beta * mlp.mse(x2, X, Y, layer_sizes) + alph * ssX2
            if perf2 < perf and bool(np.all(np.isfinite(dx))) and ok:
                x, ssX, perf = x2, ssX2, perf2
                mu = max(mu * mu_dec, MU_MIN)
                accepted = True
                break
            mu = mu * mu_inc
        rec["n_trials"].append(n_trials)
        rec["accepted"].append(accepted)

        # 5. linearise again at x
        ssE, je, jj, gradient = _linearize(x, X, Y, layer_sizes)

        # 6. re-estimate gamma, alpha, beta
        if mu <= mu_max:
            gamk = Nw - alph * _trace_inv(beta * jj + eye * alph)
            alph = 1.0 if ssX == 0 else gamk / (2.0 * ssX)
            beta = 1.0 if ssE == 0 else (N - gamk) / (2.0 * ssE)
            perf = beta * ssE + alph * ssX

        # 7. validation
        if do_val:
            vperf = mlp.mse(x, Xv, Yv, layer_sizes)
            if vperf < best_vperf:
                best_vperf, best_theta, val_fail = vperf, x.copy(), 0
            elif vperf > best_vperf:
                val_fail += 1
        epoch += 1

    out = {k: np.asarray(v) for k, v in rec.items()}
    out.update(
        theta=x,
        best_theta=best_theta if do_val else x,
        stop_reason=stop_reason,
        n_epochs=epoch,
    )
    return out
