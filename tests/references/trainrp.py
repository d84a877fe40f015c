"""Reference of MATLAB's ``trainrp`` (resilient back-propagation), written plainly.

Shares no code with bpforecast; the network is :mod:`references.mlp`.

Sources
-------
[TR08]  ``trainrp.m`` of the Neural Network Toolbox, "Copyright 1992-2008,
        Revision 1.1.6.9, 2008/03/13" (updated by De Jesús and Hagan), and
        the older ``trainrp(net,Pd,Tl,Ai,Q,TS,VV,TV)`` version: the same
        update, ``ggX = gX.*gX_old; deltaX = ((ggX>0)*delt_inc +
        (ggX<0)*delt_dec + (ggX==0)).*deltaX; deltaX = min(deltaX,deltaMAX);
        dX = deltaX.*sign(gX); X = X + dX``.  Public copies in GitHub
        mirrors of the toolbox (library ``find_string`` on
        ``ggX = gX.*gX_old``).  No R2012+ (calcLib) copy was found; the
        update and the stop order are assumed unchanged (the calcLib
        versions of trainscg/trainbr kept theirs).
[DOC]   MathWorks' trainrp page: epochs 1000, goal 0, min_grad 1e-5 (!),
        max_fail 6, lr 0.01 (listed, unused), delt_inc 1.2, delt_dec 0.5,
        delta0 0.07, deltamax 50.0.  The 2008 help text says min_grad 1e-6
        and its ``param_defaults`` 1e-10: the default here follows the
        current page, 1e-5; pass ``min_grad`` explicitly when comparing.
[RB93]  Riedmiller & Braun 1993.

Which Rprop: MATLAB's is the plain sign-based rule of [RB93] *without*
weight-backtracking and without the "set the stored derivative to zero after
a sign change" of Rprop-/iRprop-: every epoch moves every weight by
``-delta * sign(g)``, a sign change only shrinks delta (so two shrinks in a
row are possible), and there is no lower bound delta_min.  Quirk: at epoch 0
``gX_old = gX``, so the first step already uses ``delta0 * delt_inc``
(0.084 with the defaults) for every weight whose gradient is not zero.

The algorithm (g = grad mse [CL12 in trainscg.py: the gradient of the mean],
delta the per-weight step sizes, all vectors flat)
--------------------------------------------------------------------------
 1. delta = delta0 (every weight); g_prev = undefined.
 2. For epoch = 0, 1, ...: perf, g at x; gradient = ||g||; at epoch 0
    g_prev = g.
 3. Record, then stop tests in this order [TR08]: perf <= goal -> 'goal';
    epoch == epochs -> 'epochs'; (time); gradient <= min_grad ->
    'min_grad'; validation set given and val_fail >= max_fail ->
    'max_fail'.
 4. gg = g * g_prev (elementwise); delta = factor * delta with factor =
    delt_inc where gg > 0, delt_dec where gg < 0, 1 where gg == 0 (and 0
    where gg is NaN: MATLAB's sum of logical masks); delta = min(delta,
    deltamax).
 5. x = x - delta * sign(g) (MATLAB's gX is the negative gradient;
    sign(0) = 0, so a weight with a zero derivative does not move).
    g_prev = g.
 6. Validation (if given): vperf at the new x; vperf < best -> best,
    val_fail = 0; vperf > best -> val_fail += 1.  Without validation MATLAB
    keeps as ``best_net`` the weights after the step of the last epoch whose
    *pre-step* perf was below the best so far (a quirk of [TR08]);
    ``best_theta`` reproduces it, ``theta`` is the last weights.

Record (state at the start of each epoch, before its step): perf,
gradient, vperf, val_fail, delta_mean / delta_min / delta_max (of the step
sizes that epoch's step will start from, i.e. before step 4), and per step
(NaN on the last row) the same three statistics after step 4
(``step_mean``, ``step_min``, ``step_max``) and ``n_sign_changes``; the full
vector ``delta`` at the end.

Not modelled: ``time``, user stop, input/output processing.

Rounding-noise floor
--------------------
Measured with :func:`references.order_floor` (the same reference on the
samples in reversed order), on the sine problem of the tests (41 samples,
noise sd 0.1, seed 0), Nguyen-Widrow-like starts of seeds 0-4, 1-5-1 and
1-20-1 networks, epochs=1000, min_grad=0; max over the epochs of
|a - b| / max(|a|, |b|):

* perf <= 1.9e-15 over all 1000 epochs (every seed and size), and the step
  sizes are identical: Rprop's decisions depend only on gradient signs, so
  rounding does not grow.  The implementation is held to 1e-10.
"""

from __future__ import annotations

import math

import numpy as np

from . import mlp

#: Measured rounding-noise floor of the perf history (see module docstring).
FLOORS = {"perf, 1000 epochs": 1.9e-15, "step sizes": 0.0}


def train_trainrp(
    theta0,
    X,
    Y,
    layer_sizes,
    *,
    delt_inc=1.2,
    delt_dec=0.5,
    delta0=0.07,
    deltamax=50.0,
    epochs=1000,
    goal=0.0,
    min_grad=1e-5,
    max_fail=6,
    validation=None,
):
    """Run MATLAB's trainrp from ``theta0``; return the per-epoch record.

    See the module docstring for the record's keys; also ``theta`` (last
    weights), ``delta`` (final step sizes), ``best_theta``, ``stop_reason``,
    ``n_epochs``.
    """
    X = np.asarray(X, dtype=float)
    Y = np.asarray(Y, dtype=float)
    x = np.array(theta0, dtype=float)
    do_val = validation is not None
    if do_val:
        Xv, Yv = (np.asarray(a, dtype=float) for a in validation)

    delta = np.full(x.size, float(delta0))
    delta_max = np.full(x.size, float(deltamax))
    g = None
    vperf = mlp.mse(x, Xv, Yv, layer_sizes) if do_val else math.nan
    best_vperf, best_theta, val_fail = vperf, x.copy(), 0
    best_perf = None

    keys = ("perf", "gradient", "vperf", "val_fail", "delta_mean", "delta_min",
            "delta_max", "step_mean", "step_min", "step_max",
            "n_sign_changes")  # fmt: skip
    rec = {k: [] for k in keys}
    stop_reason = ""
    epoch = 0
    while True:
        # 2. performance and gradient
        g_prev = g
        with np.errstate(over="ignore", invalid="ignore"):
            perf, g = mlp.mse_and_gradient(x, X, Y, layer_sizes)
        gradient = math.sqrt(float(g @ g))
        if epoch == 0:
            g_prev = g
            best_perf = perf

        # 3. record, stopping tests
        for key, value in (
            ("perf", perf), ("gradient", gradient), ("vperf", vperf),
            ("val_fail", val_fail), ("delta_mean", float(delta.mean())),
            ("delta_min", float(delta.min())), ("delta_max", float(delta.max())),
        ):  # fmt: skip
            rec[key].append(value)
        if perf <= goal:
            stop_reason = "goal"
        elif epoch == epochs:
            stop_reason = "epochs"
        elif gradient <= min_grad:
            stop_reason = "min_grad"
        elif do_val and val_fail >= max_fail:
            stop_reason = "max_fail"
        if stop_reason:
            for key in ("step_mean", "step_min", "step_max", "n_sign_changes"):
                rec[key].append(math.nan)
            break

        # 4. adapt the step sizes
        gg = g * g_prev
        factor = (gg > 0) * delt_inc + (gg < 0) * delt_dec + (gg == 0) * 1.0
        delta = np.minimum(factor * delta, delta_max)
        rec["step_mean"].append(float(delta.mean()))
        rec["step_min"].append(float(delta.min()))
        rec["step_max"].append(float(delta.max()))
        rec["n_sign_changes"].append(int(np.sum(gg < 0)))

        # 5. move every weight against the sign of its derivative
        x = x - delta * np.sign(g)

        # 6. validation / MATLAB's best-net bookkeeping
        if do_val:
            vperf = mlp.mse(x, Xv, Yv, layer_sizes)
            if vperf < best_vperf:
                best_vperf, best_theta, val_fail = vperf, x.copy(), 0
            elif vperf > best_vperf:
                val_fail += 1
        elif perf < best_perf:
            best_perf, best_theta = perf, x.copy()
        epoch += 1

    out = {k: np.asarray(v) for k, v in rec.items()}
    out.update(
        theta=x,
        delta=delta,
        best_theta=best_theta,
        stop_reason=stop_reason,
        n_epochs=epoch,
    )
    return out
