"""Shared test helpers: finite differences, small data sets, fixtures.

Plain functions (import them with ``from conftest import ...``; pytest puts
``tests/`` on ``sys.path``) and fixtures (ask for them by name):

* :func:`finite_difference_gradient`, :func:`finite_difference_jacobian`:
  central differences, one coordinate at a time, for gradient and Jacobian
  checks of hand-derived back-propagation.
* :func:`network_problem`: random weights and data for an
  :class:`~bpforecast.nn.network.Architecture`.
* :func:`regression_data`: a smooth nonlinear regression problem.
* :func:`ar_series`: an AR(2) series with a constant.
* :func:`seasonal_panel`: monthly series in long format (``unique_id``,
  ``ds``, ``y``).
* Fixtures ``rng`` (a generator with a fixed seed), ``quiet`` (all warnings
  silenced for the test) and ``pyplot`` (matplotlib's pyplot on the Agg
  backend, skipped without matplotlib, figures closed afterwards).

Every seed here is a fixed integer: a test sees the same data in every run
and every process. The matplotlib backend is Agg for the whole session (set
through ``MPLBACKEND`` before matplotlib is imported, so subprocesses that
inherit the environment draw off screen too).
"""

from __future__ import annotations

import os
import warnings

import numpy as np
import pandas as pd
import pytest

os.environ["MPLBACKEND"] = "Agg"


# ------------------------------------------------------- finite differences
def finite_difference_gradient(fun, theta, h=1e-6):
    """Gradient of the scalar function ``fun`` at ``theta`` by central differences.

    Parameters
    ----------
    fun : callable
        ``fun(theta)`` returns a float.
    theta : ndarray of shape (n,)
    h : float
        Step of each coordinate.

    Returns
    -------
    ndarray of shape (n,)

    Examples
    --------
    >>> import numpy as np
    >>> g = finite_difference_gradient(lambda t: float(t @ t), np.array([1.0, -2.0]))
    >>> np.round(g, 6)
    array([ 2., -4.])
    """
    theta = np.asarray(theta, dtype=float)
    grad = np.empty_like(theta)
    for i in range(theta.size):
        step = np.zeros_like(theta)
        step[i] = h
        grad[i] = (fun(theta + step) - fun(theta - step)) / (2 * h)
    return grad


def finite_difference_jacobian(fun, theta, h=1e-6):
    """Jacobian of the array function ``fun`` at ``theta`` by central differences.

    ``fun(theta)`` may return an array of any shape; it is flattened in C
    order (sample-major for an ``(n_samples, n_outputs)`` network output, as
    :func:`bpforecast.nn.levenberg_marquardt.jacobian` orders its rows).

    Returns
    -------
    ndarray of shape (fun(theta).size, theta.size)

    Examples
    --------
    >>> import numpy as np
    >>> J = finite_difference_jacobian(lambda t: t**2, np.array([1.0, 3.0]))
    >>> np.round(J, 6)
    array([[2., 0.],
           [0., 6.]])
    """
    theta = np.asarray(theta, dtype=float)
    cols = []
    for i in range(theta.size):
        step = np.zeros_like(theta)
        step[i] = h
        up = np.reshape(fun(theta + step), (-1,))
        down = np.reshape(fun(theta - step), (-1,))
        cols.append((up - down) / (2 * h))
    return np.column_stack(cols)


# ------------------------------------------------------------- small data
def network_problem(arch, n_samples=25, seed=0, scale=0.7):
    """Random weights, inputs and targets for the network ``arch``.

    Returns ``(theta, X, Y)``: ``theta`` of shape ``(arch.n_params,)`` drawn
    from N(0, scale²), ``X`` and ``Y`` standard normal of shapes
    ``(n_samples, n_inputs)`` and ``(n_samples, n_outputs)``.

    Examples
    --------
    >>> from bpforecast.nn.network import Architecture
    >>> arch = Architecture.build(3, (4,), 2, "tansig", "purelin")
    >>> theta, X, Y = network_problem(arch, n_samples=5)
    >>> theta.shape, X.shape, Y.shape
    ((26,), (5, 3), (5, 2))
    """
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_samples, arch.layer_sizes[0]))
    Y = rng.normal(size=(n_samples, arch.layer_sizes[-1]))
    theta = rng.normal(scale=scale, size=arch.n_params)
    return theta, X, Y


def regression_data(n=200, n_features=3, seed=0, noise=0.05):
    """A smooth nonlinear regression problem with a little noise.

    ``X`` is uniform on [-2, 2]; ``y = sin(x0) + 0.5 x1² - 0.3 x2`` plus
    N(0, noise²) (needs ``n_features >= 3``; further columns are unused).

    Examples
    --------
    >>> X, y = regression_data(10)
    >>> X.shape, y.shape
    ((10, 3), (10,))
    """
    rng = np.random.default_rng(seed)
    X = rng.uniform(-2, 2, size=(n, n_features))
    y = np.sin(X[:, 0]) + 0.5 * X[:, 1] ** 2 - 0.3 * X[:, 2]
    return X, y + noise * rng.normal(size=n)


def ar_series(n=200, phi=(0.6, -0.3), seed=0, const=2.0):
    """An AR(2) series ``y_t = const + phi1 y_{t-1} + phi2 y_{t-2} + e_t``.

    Starts at zero; ``e_t`` is standard normal.

    Examples
    --------
    >>> ar_series(50).shape
    (50,)
    """
    rng = np.random.default_rng(seed)
    y = np.zeros(n)
    for t in range(2, n):
        y[t] = const + phi[0] * y[t - 1] + phi[1] * y[t - 2] + rng.normal()
    return y


def seasonal_panel(n_series=3, n=48, seed=0, start="2001-01-01"):
    """Monthly series with level, trend, season and noise, in long format.

    Columns ``unique_id`` (``s0``, ``s1``, ...), ``ds`` and ``y``: the
    layout of :func:`bpforecast.forecast_many`.

    Examples
    --------
    >>> panel = seasonal_panel(2, 24)
    >>> panel.shape, sorted(panel["unique_id"].unique())
    ((48, 3), ['s0', 's1'])
    """
    rng = np.random.default_rng(seed)
    dates = pd.date_range(start, periods=n, freq="MS")
    t = np.arange(n)
    frames = []
    for i in range(n_series):
        y = (
            10 * (i + 1)
            + 0.05 * (i + 1) * t
            + 2 * np.sin(2 * np.pi * t / 12 + i)
            + rng.normal(0, 0.3, n)
        )
        frames.append(pd.DataFrame({"unique_id": f"s{i}", "ds": dates, "y": y}))
    return pd.concat(frames, ignore_index=True)


# ---------------------------------------------------------------- fixtures
@pytest.fixture
def rng():
    """A numpy Generator with a fixed seed (0), fresh for every test."""
    return np.random.default_rng(0)


@pytest.fixture
def quiet():
    """Silence every warning for the test (convergence notes of small fits)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


@pytest.fixture
def pyplot():
    """``matplotlib.pyplot`` on the Agg backend; closes all figures afterwards.

    Skips the test when matplotlib is not installed.
    """
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    yield plt
    plt.close("all")


# Property tests draw the same examples on every run, so CI cannot pass or
# fail by chance; HYPOTHESIS_PROFILE=explore draws new ones (for hunting).
try:
    from hypothesis import settings as _hypothesis_settings
except ImportError:  # pragma: no cover - hypothesis is in the test extra
    pass
else:
    _hypothesis_settings.register_profile("repeatable", derandomize=True)
    _hypothesis_settings.register_profile("explore", derandomize=False)
    _hypothesis_settings.load_profile(
        os.environ.get("HYPOTHESIS_PROFILE", "repeatable")
    )
