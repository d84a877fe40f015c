"""Compare BPRegressor's gradient-descent solvers with an independent reference.

The reference below is written from MATLAB's traingdx / traingd / traingdm /
traingda algorithm (see ``docs/algorithms/gradient-descent.md``) and shares no code
with bpforecast: a tanh/linear network, the MATLAB ``mse`` performance
(mean of squared errors over all samples and outputs, no 1/2 factor), its
gradient by plainly written back-propagation, and the solvers' update rules:

    first step:          dX = lr * (-g)
    every later epoch:   dX = mc * dX + (1 - mc) * lr * (-g)          (momentum)
    trial:               X2 = X + dX ; perf2 = perf(X2)
    perf2 / perf > max_perf_inc (or perf2 not finite):
                         reject: keep X, lr *= lr_dec, dX = lr * (-g)
    otherwise:           accept: X = X2, and lr *= lr_inc if perf2 < perf

traingd: no momentum, fixed lr, always accepted; traingdm: momentum, fixed lr,
always accepted; traingda: no momentum, the reject/adapt rule above; traingdx:
both.  Every epoch is one update attempt; a rejected attempt is still an epoch.

Only ``BPRegressor`` is imported from bpforecast.
"""

import numpy as np
import pytest

from bpforecast import BPRegressor

# ---------------------------------------------------------------------------
# Reference network: hidden layers tanh(a @ W + b), output layer a @ W + b.
# ---------------------------------------------------------------------------


def ref_forward(X, coefs, intercepts):
    """Return the list of layer activations [X, a1, ..., output]."""
    activations = [X]
    a = X
    n_layers = len(coefs)
    for i in range(n_layers):
        z = a @ coefs[i] + intercepts[i]
        if i < n_layers - 1:
            a = np.tanh(z)
        else:
            a = z
        activations.append(a)
    return activations


def ref_perf(X, Y, coefs, intercepts):
    """MATLAB mse: mean over all samples and outputs of (output - target)**2."""
    out = ref_forward(X, coefs, intercepts)[-1]
    err = out - Y
    return float(np.sum(err * err) / err.size)


def ref_perf_and_grad(X, Y, coefs, intercepts):
    """Performance and its gradient w.r.t. every weight and bias (backprop)."""
    activations = ref_forward(X, coefs, intercepts)
    out = activations[-1]
    err = out - Y
    perf = float(np.sum(err * err) / err.size)

    n_layers = len(coefs)
    grad_coefs = [None] * n_layers
    grad_intercepts = [None] * n_layers
    # d perf / d output = 2 * err / (n_samples * n_outputs)
    delta = 2.0 * err / err.size
    for i in range(n_layers - 1, -1, -1):
        a_prev = activations[i]
        grad_coefs[i] = a_prev.T @ delta
        grad_intercepts[i] = delta.sum(axis=0)
        if i > 0:
            # back through the tanh of layer i-1: d tanh(z) / dz = 1 - tanh(z)**2
            delta = (delta @ coefs[i].T) * (1.0 - a_prev * a_prev)
    return perf, grad_coefs, grad_intercepts


def flatten(coefs, intercepts):
    parts = []
    for W, b in zip(coefs, intercepts, strict=True):
        parts.append(np.ravel(W))
        parts.append(np.ravel(b))
    return np.concatenate(parts)


def unflatten(x, shapes):
    """Inverse of ``flatten`` for the given [(W.shape, b.shape), ...]."""
    coefs, intercepts = [], []
    pos = 0
    for w_shape, b_shape in shapes:
        nw = int(np.prod(w_shape))
        coefs.append(x[pos : pos + nw].reshape(w_shape))
        pos += nw
        nb = int(np.prod(b_shape))
        intercepts.append(x[pos : pos + nb].reshape(b_shape))
        pos += nb
    assert pos == x.size
    return coefs, intercepts


def reference_train(
    X,
    Y,
    coefs,
    intercepts,
    solver,
    epochs,
    lr=0.01,
    lr_inc=1.05,
    lr_dec=0.7,
    max_perf_inc=1.04,
    mc=0.9,
):
    """Run ``epochs`` update attempts of a MATLAB gradient-descent solver.

    Returns a dict with per-epoch arrays ``perf``, ``lr`` and ``gradient``
    (epoch 0 .. epochs, each recorded at the start of the epoch), the final
    ``coefs`` / ``intercepts`` and the numbers of accepted / rejected steps.
    """
    use_momentum = solver in ("traingdm", "traingdx")
    adaptive = solver in ("traingda", "traingdx")
    if solver not in ("traingd", "traingdm", "traingda", "traingdx"):
        raise ValueError(solver)

    shapes = [
        (np.shape(W), np.shape(b)) for W, b in zip(coefs, intercepts, strict=True)
    ]

    def perf_grad(x):
        c, b = unflatten(x, shapes)
        perf, gc, gb = ref_perf_and_grad(X, Y, c, b)
        return perf, flatten(gc, gb)

    x = flatten(coefs, intercepts).astype(float)
    perf, g = perf_grad(x)
    dX = None
    perfs, lrs, grads = [], [], []
    accepted = rejected = 0

    for epoch in range(epochs + 1):
        perfs.append(perf)
        lrs.append(lr)
        grads.append(float(np.sqrt(np.sum(g * g))))
        if epoch == epochs:
            break

        if use_momentum and dX is not None:
            dX = mc * dX + (1.0 - mc) * lr * (-g)
        else:
            dX = lr * (-g)

        x2 = x + dX
        perf2, g2 = perf_grad(x2)

        if not np.isfinite(perf2) or (adaptive and perf2 / perf > max_perf_inc):
            # reject: keep the weights, shrink lr, reset the momentum memory
            rejected += 1
            lr = lr * lr_dec
            dX = lr * (-g)
        else:
            accepted += 1
            if adaptive and perf2 < perf:
                lr = lr * lr_inc
            x, perf, g = x2, perf2, g2

    final_coefs, final_intercepts = unflatten(x, shapes)
    return {
        "perf": np.array(perfs),
        "lr": np.array(lrs),
        "gradient": np.array(grads),
        "coefs": final_coefs,
        "intercepts": final_intercepts,
        "accepted": accepted,
        "rejected": rejected,
    }


# ---------------------------------------------------------------------------
# Problems and starting weights
# ---------------------------------------------------------------------------


def sine_problem():
    """Noisy 1-D sine, n=60, y of shape (60,)."""
    rng = np.random.default_rng(1234)
    x = np.linspace(-3.0, 3.0, 60).reshape(-1, 1)
    y = np.sin(x[:, 0]) + 0.1 * rng.standard_normal(60)
    return x, y


def multi_output_problem():
    """4 inputs, 2 outputs, n=80, y of shape (80, 2)."""
    rng = np.random.default_rng(5678)
    X = rng.uniform(-1.0, 1.0, size=(80, 4))
    y1 = np.sin(X[:, 0] * 2.0) + X[:, 1] * X[:, 2]
    y2 = np.tanh(X[:, 3] - X[:, 0]) + 0.5 * X[:, 1] ** 2
    Y = np.column_stack([y1, y2]) + 0.05 * rng.standard_normal((80, 2))
    return X, Y


PROBLEMS = {
    "sine": (sine_problem, (5,)),
    "multi": (multi_output_problem, (6, 4)),
}


def start_weights(n_in, hidden, n_out, seed):
    rng = np.random.default_rng(seed)
    sizes = [n_in, *hidden, n_out]
    coefs = [
        0.5 * rng.standard_normal((sizes[i], sizes[i + 1]))
        for i in range(len(sizes) - 1)
    ]
    intercepts = [
        0.5 * rng.standard_normal(sizes[i + 1]) for i in range(len(sizes) - 1)
    ]
    return coefs, intercepts


def as_2d(y):
    y = np.asarray(y, dtype=float)
    return y.reshape(-1, 1) if y.ndim == 1 else y


def fit_from(X, y, hidden, coefs, intercepts, **params):
    """Initialise with epochs=0, set the given weights, then warm-start fit."""
    epochs = params.pop("epochs")
    model = BPRegressor(
        hidden_layer_sizes=hidden,
        scaling=None,
        division=None,
        goal=0.0,
        min_grad=0.0,
        epochs=0,
        random_state=0,
        **params,
    )
    model.fit(X, y)
    model.coefs_ = [np.array(W, dtype=float) for W in coefs]
    model.intercepts_ = [np.array(b, dtype=float) for b in intercepts]
    model.set_params(warm_start=True, epochs=epochs)
    model.fit(X, y)
    return model


def compare(model, ref, epochs):
    hist = model.history_
    assert model.n_epochs_ == epochs
    assert model.stop_reason_ == "epochs"
    assert len(hist) == epochs + 1
    np.testing.assert_array_equal(np.asarray(hist.index), np.arange(epochs + 1))
    np.testing.assert_allclose(
        hist["perf"].to_numpy(dtype=float), ref["perf"], rtol=1e-10, atol=0
    )
    np.testing.assert_allclose(
        hist["lr"].to_numpy(dtype=float), ref["lr"], rtol=1e-10, atol=0
    )
    np.testing.assert_allclose(
        hist["gradient"].to_numpy(dtype=float), ref["gradient"], rtol=1e-10, atol=0
    )


def compare_weights(model, ref):
    assert len(model.coefs_) == len(ref["coefs"])
    assert len(model.intercepts_) == len(ref["intercepts"])
    for W, W_ref in zip(model.coefs_, ref["coefs"], strict=True):
        assert np.shape(W) == W_ref.shape
        np.testing.assert_allclose(W, W_ref, rtol=1e-9, atol=0)
    for b, b_ref in zip(model.intercepts_, ref["intercepts"], strict=True):
        assert np.ravel(b).shape == b_ref.shape
        np.testing.assert_allclose(np.ravel(b), b_ref, rtol=1e-9, atol=0)


# ---------------------------------------------------------------------------
# Sanity checks of the reference itself
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("problem", sorted(PROBLEMS))
def test_reference_gradient_matches_finite_differences(problem):
    make, hidden = PROBLEMS[problem]
    X, y = make()
    Y = as_2d(y)
    coefs, intercepts = start_weights(X.shape[1], hidden, Y.shape[1], seed=7)
    shapes = [(W.shape, b.shape) for W, b in zip(coefs, intercepts, strict=True)]
    x0 = flatten(coefs, intercepts)

    _, gc, gb = ref_perf_and_grad(X, Y, coefs, intercepts)
    g = flatten(gc, gb)

    h = 1e-6
    g_fd = np.empty_like(x0)
    for k in range(x0.size):
        xp = x0.copy()
        xm = x0.copy()
        xp[k] += h
        xm[k] -= h
        fp = ref_perf(X, Y, *unflatten(xp, shapes))
        fm = ref_perf(X, Y, *unflatten(xm, shapes))
        g_fd[k] = (fp - fm) / (2 * h)
    np.testing.assert_allclose(g, g_fd, rtol=1e-6, atol=1e-9)


def test_reference_update_rules_by_hand():
    """Two epochs of traingdx on a tiny net, worked out step by step."""
    X, y = sine_problem()
    Y = as_2d(y)
    coefs, intercepts = start_weights(1, (3,), 1, seed=3)
    shapes = [(W.shape, b.shape) for W, b in zip(coefs, intercepts, strict=True)]
    x0 = flatten(coefs, intercepts)
    lr, mc = 0.01, 0.9

    p0, gc, gb = ref_perf_and_grad(X, Y, coefs, intercepts)
    g0 = flatten(gc, gb)
    d1 = -lr * g0
    x1 = x0 + d1
    p1, gc, gb = ref_perf_and_grad(X, Y, *unflatten(x1, shapes))
    g1 = flatten(gc, gb)
    assert p1 < p0  # small step downhill: accepted, lr grows
    lr1 = lr * 1.05
    d2 = mc * d1 + (1 - mc) * lr1 * (-g1)
    p2 = ref_perf(X, Y, *unflatten(x1 + d2, shapes))

    ref = reference_train(X, Y, coefs, intercepts, "traingdx", epochs=2)
    np.testing.assert_allclose(ref["perf"], [p0, p1, p2], rtol=1e-14)
    np.testing.assert_allclose(ref["lr"][:2], [lr, lr1], rtol=1e-14)


# ---------------------------------------------------------------------------
# The estimator against the reference
# ---------------------------------------------------------------------------
#
# Why these seeds.  An adaptive learning rate keeps raising lr until steps are
# rejected, so traingdx/traingda spend most epochs at the edge of stability,
# where rounding-level differences are amplified: two correct implementations
# that merely order their floating-point operations differently typically end
# up 1e-12 apart in perf and 1e-11..1e-10 apart in the gradient norm after
# 1000 traingdx epochs, and many traingda runs with a large lr are chaotic
# (O(1) apart after ~100 epochs).  The starting weights below were chosen,
# among seeds 0..59, as runs whose histories stay within ~2e-11 under a
# re-ordered implementation and under 1e-15 relative perturbations of the
# starting weights (several draws each); ``test_reference_is_well_conditioned``
# re-checks a version of this for every case, so a failure of
# ``test_estimator_matches_reference`` alone points at a difference in the
# algorithm rather than at rounding.  Measured in this way the perf column has
# a margin of ~30x below the 1e-10 tolerance, the gradient column ~3-10x.

CUSTOM_SEED = 5
WARM_SEEDS = {"sine": 11, "multi": 14}

# name -> (problem, solver, seed, epochs, solver parameters)
CASES = {
    # traingdx with a larger starting lr: rejections from early on
    "gdx-sine-13": ("sine", "traingdx", 13, 1000, {"lr": 0.1}),
    "gdx-sine-4": ("sine", "traingdx", 4, 1000, {"lr": 0.1}),
    "gdx-sine-2": ("sine", "traingdx", 2, 1000, {"lr": 0.1}),
    "gdx-multi-14": ("multi", "traingdx", 14, 1000, {"lr": 0.1}),
    "gdx-multi-54": ("multi", "traingdx", 54, 1000, {"lr": 0.1}),
    "gdx-multi-4": ("multi", "traingdx", 4, 1000, {"lr": 0.1}),
    # traingdx with MATLAB's defaults (lr=0.01 grows until steps are rejected)
    "gdx-default-sine-19": ("sine", "traingdx", 19, 1000, {}),
    "gdx-default-sine-53": ("sine", "traingdx", 53, 1000, {}),
    "gdx-default-sine-45": ("sine", "traingdx", 45, 1000, {}),
    "gdx-default-multi-1": ("multi", "traingdx", 1, 1000, {}),
    "gdx-default-multi-30": ("multi", "traingdx", 30, 1000, {}),
    "gdx-default-multi-3": ("multi", "traingdx", 3, 1000, {}),
    # traingdx with every solver parameter changed from its default
    "gdx-custom-multi": (
        "multi",
        "traingdx",
        CUSTOM_SEED,
        500,
        {"lr": 0.2, "lr_inc": 1.1, "lr_dec": 0.5, "max_perf_inc": 1.01, "mc": 0.8},
    ),
    # the relatives
    "gd-sine-0": ("sine", "traingd", 0, 300, {"lr": 0.05}),
    "gd-sine-1": ("sine", "traingd", 1, 300, {"lr": 0.05}),
    "gd-sine-2": ("sine", "traingd", 2, 300, {"lr": 0.05}),
    "gd-multi-0": ("multi", "traingd", 0, 300, {"lr": 0.05}),
    "gd-multi-1": ("multi", "traingd", 1, 300, {"lr": 0.05}),
    "gd-multi-2": ("multi", "traingd", 2, 300, {"lr": 0.05}),
    "gdm-sine-0": ("sine", "traingdm", 0, 300, {"lr": 0.05, "mc": 0.9}),
    "gdm-sine-1": ("sine", "traingdm", 1, 300, {"lr": 0.05, "mc": 0.8}),
    "gdm-sine-2": ("sine", "traingdm", 2, 300, {"lr": 0.05, "mc": 0.9}),
    "gdm-multi-0": ("multi", "traingdm", 0, 300, {"lr": 0.05, "mc": 0.9}),
    "gdm-multi-1": ("multi", "traingdm", 1, 300, {"lr": 0.05, "mc": 0.8}),
    "gdm-multi-2": ("multi", "traingdm", 2, 300, {"lr": 0.05, "mc": 0.9}),
    "gda-sine-2": ("sine", "traingda", 2, 300, {"lr": 0.3}),
    "gda-sine-5": ("sine", "traingda", 5, 300, {"lr": 0.3}),
    "gda-sine-7": ("sine", "traingda", 7, 300, {"lr": 0.3}),
    "gda-multi-12": ("multi", "traingda", 12, 300, {"lr": 0.3}),
    "gda-multi-22": ("multi", "traingda", 22, 300, {"lr": 0.3}),
    "gda-multi-26": ("multi", "traingda", 26, 300, {"lr": 0.3}),
}

_REFERENCE_CACHE = {}


def case_setup(name):
    problem, solver, seed, epochs, params = CASES[name]
    make, hidden = PROBLEMS[problem]
    X, y = make()
    Y = as_2d(y)
    coefs, intercepts = start_weights(X.shape[1], hidden, Y.shape[1], seed)
    return X, y, Y, hidden, coefs, intercepts, solver, epochs, params


def case_reference(name):
    if name not in _REFERENCE_CACHE:
        X, _, Y, _, coefs, intercepts, solver, epochs, params = case_setup(name)
        _REFERENCE_CACHE[name] = reference_train(
            X, Y, coefs, intercepts, solver, epochs, **params
        )
    return _REFERENCE_CACHE[name]


def max_relative_differences(ref, other):
    """Largest relative difference in the histories and in the final weights."""
    hist = max(
        float(np.max(np.abs(other[key] / ref[key] - 1.0)))
        for key in ("perf", "lr", "gradient")
    )
    weights = max(
        float(np.max(np.abs(np.ravel(A2) - np.ravel(A)) / np.abs(np.ravel(A))))
        for A, A2 in zip(
            ref["coefs"] + ref["intercepts"],
            other["coefs"] + other["intercepts"],
            strict=True,
        )
    )
    return hist, weights


@pytest.mark.parametrize("name", list(CASES))
def test_reference_is_well_conditioned(name):
    """Starting weights perturbed by 1e-14 relative (~100 ulps) move the
    reference's histories and final weights by at most half the tolerances
    used against the estimator, so those comparisons measure the algorithm,
    not rounding."""
    X, _, Y, _, coefs, intercepts, solver, epochs, params = case_setup(name)
    ref = case_reference(name)
    for draw in range(2):
        rng = np.random.default_rng(draw)
        c2 = [W * (1 + 1e-14 * rng.standard_normal(W.shape)) for W in coefs]
        b2 = [b * (1 + 1e-14 * rng.standard_normal(b.shape)) for b in intercepts]
        other = reference_train(X, Y, c2, b2, solver, epochs, **params)
        hist, weights = max_relative_differences(ref, other)
        assert hist < 5e-11, (draw, hist)
        assert weights < 5e-10, (draw, weights)


@pytest.mark.parametrize("name", list(CASES))
def test_reference_step_mix(name):
    """Adaptive solvers both accept and reject steps in every case; the fixed-lr
    solvers accept every step."""
    *_, solver, epochs, params = case_setup(name)
    ref = case_reference(name)
    assert ref["accepted"] + ref["rejected"] == epochs
    if solver in ("traingda", "traingdx"):
        assert ref["accepted"] > 0
        assert ref["rejected"] > 0
        steps = np.diff(ref["lr"])
        assert np.any(steps > 0) and np.any(steps < 0)
    else:
        assert ref["rejected"] == 0
        np.testing.assert_array_equal(ref["lr"], params["lr"])


@pytest.mark.parametrize("name", list(CASES))
def test_estimator_matches_reference(name):
    """history_ perf, lr and gradient columns to 1e-10, final weights to 1e-9."""
    X, y, _, hidden, coefs, intercepts, solver, epochs, params = case_setup(name)
    ref = case_reference(name)
    model = fit_from(
        X, y, hidden, coefs, intercepts, solver=solver, epochs=epochs, **params
    )
    compare(model, ref, epochs)
    compare_weights(model, ref)


@pytest.mark.parametrize("problem", sorted(PROBLEMS))
def test_warm_start_refit_starts_afresh(problem):
    """Fitting twice from the same weights gives the same history: no momentum,
    learning rate or step memory is carried from one fit to the next."""
    make, hidden = PROBLEMS[problem]
    X, y = make()
    Y = as_2d(y)
    seed = WARM_SEEDS[problem]
    coefs, intercepts = start_weights(X.shape[1], hidden, Y.shape[1], seed)
    lr = 0.1
    epochs = 200

    model = fit_from(
        X, y, hidden, coefs, intercepts, solver="traingdx", lr=lr, epochs=epochs
    )
    first = model.history_[["perf", "lr", "gradient"]].to_numpy(dtype=float).copy()
    first_coefs = [np.array(W, copy=True) for W in model.coefs_]

    # same starting weights again, same (warm-started) estimator object
    model.coefs_ = [np.array(W, dtype=float) for W in coefs]
    model.intercepts_ = [np.array(b, dtype=float) for b in intercepts]
    model.fit(X, y)
    second = model.history_[["perf", "lr", "gradient"]].to_numpy(dtype=float)
    np.testing.assert_allclose(second, first, rtol=1e-12, atol=0)
    for W, W0 in zip(model.coefs_, first_coefs, strict=True):
        np.testing.assert_allclose(W, W0, rtol=1e-12, atol=0)

    ref = reference_train(X, Y, coefs, intercepts, "traingdx", epochs, lr=lr)
    assert ref["rejected"] > 0
    compare(model, ref, epochs)

    # continuing from the fitted weights starts again at lr with a plain step
    start_c = [np.array(W, copy=True) for W in model.coefs_]
    start_b = [np.ravel(np.array(b, copy=True)) for b in model.intercepts_]
    model.fit(X, y)
    assert model.history_["lr"].iloc[0] == pytest.approx(lr, rel=1e-15)
    ref2 = reference_train(X, Y, start_c, start_b, "traingdx", epochs, lr=lr)
    compare(model, ref2, epochs)
    compare_weights(model, ref2)
