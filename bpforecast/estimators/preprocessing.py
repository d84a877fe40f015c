"""Input and target scaling: MATLAB's ``mapstd`` and ``mapminmax``.

Both are per-column affine maps ``x_scaled = (x - center) * gain``:

* ``mapstd``: ``center`` is the mean and ``gain = 1 / std`` with the N-1
  (sample) standard deviation, as MATLAB computes it. scikit-learn's
  ``StandardScaler`` uses the N (population) standard deviation instead, so
  its output is ours times ``sqrt((n - 1) / n)``.
* ``mapminmax``: maps ``[min, max]`` to ``[-1, 1]``, identical to
  ``MinMaxScaler(feature_range=(-1, 1))``.

A constant column (``max == min``) is handled as MATLAB's
``removeconstantrows`` would leave it: it maps to 0 (``center`` is its
value, ``gain`` 1), so it carries no information into the network, causes no
division by zero, and inverts exactly. ``constant_`` records such columns.

Examples
--------
>>> import numpy as np
>>> from bpforecast.estimators.preprocessing import MapStd
>>> X = np.array([[1.0, 5.0], [3.0, 5.0]])
>>> scaler = MapStd().fit(X)
>>> scaler.transform(X)
array([[-0.70710678,  0.        ],
       [ 0.70710678,  0.        ]])
>>> scaler.constant_.tolist()
[False, True]
"""

from __future__ import annotations

from array_api_compat import array_namespace
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data


def mapstd_params(X):
    """``center`` (mean) and ``gain`` (1 / N-1 std) per column, constants mapped to 0.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.estimators.preprocessing import mapstd_params
    >>> center, gain, constant = mapstd_params(np.array([[0.0], [2.0]]))
    >>> center.tolist(), gain.round(4).tolist(), constant.tolist()
    ([1.0], [0.7071], [False])
    """
    xp = array_namespace(X)
    n = X.shape[0]
    center = xp.mean(X, axis=0)
    constant = xp.max(X, axis=0) == xp.min(X, axis=0)
    if n > 1:
        std = xp.std(X, axis=0, correction=1)
    else:
        std = xp.zeros_like(center)
    safe = xp.where(constant, xp.ones_like(std), std)
    # A constant column's mean can differ from its value by rounding: use the
    # value itself, so the column maps to exactly 0 and inverts exactly.
    center = xp.where(constant, X[0, ...], center)
    return center, 1.0 / safe, constant


def mapminmax_params(X):
    """``center`` (mid-range) and ``gain`` (2 / range) per column; constants map to 0.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.estimators.preprocessing import mapminmax_params
    >>> center, gain, constant = mapminmax_params(np.array([[0.0], [4.0]]))
    >>> center.tolist(), gain.tolist()
    ([2.0], [0.5])
    """
    xp = array_namespace(X)
    lo = xp.min(X, axis=0)
    hi = xp.max(X, axis=0)
    constant = hi == lo
    span = xp.where(constant, 2.0 * xp.ones_like(hi), hi - lo)
    center = xp.where(constant, lo, 0.5 * lo + 0.5 * hi)
    return center, 2.0 / span, constant


SCALINGS = {"mapstd": mapstd_params, "mapminmax": mapminmax_params}


def apply_scaling(X, center, gain):
    """``(X - center) * gain``.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.estimators.preprocessing import apply_scaling
    >>> apply_scaling(np.array([[3.0]]), np.array([1.0]), np.array([0.5]))
    array([[1.]])
    """
    return (X - center) * gain


def reverse_scaling(Z, center, gain):
    """Inverse of :func:`apply_scaling`: ``Z / gain + center``.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.estimators.preprocessing import reverse_scaling
    >>> reverse_scaling(np.array([[1.0]]), np.array([1.0]), np.array([0.5]))
    array([[3.]])
    """
    return Z / gain + center


class _AffineScaler(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    _params_function = None

    def fit(self, X, y=None):
        """Learn ``center_`` and ``gain_`` from ``X``."""
        X = validate_data(self, X, dtype="numeric", ensure_min_samples=1)
        center, gain, constant = type(self)._params_function(X)
        xp = array_namespace(center, gain)
        finite = xp.all(xp.isfinite(center)) and xp.all(xp.isfinite(gain))
        if not (bool(finite) and bool(xp.all(gain != 0))):
            raise ValueError(
                "X cannot be scaled: a column's mean, range or standard deviation "
                "overflows or underflows (values too large, or a range too small to "
                "represent); rescale the data first."
            )
        self.center_, self.gain_, self.constant_ = center, gain, constant
        return self

    def transform(self, X):
        """Scale ``X`` with the fitted parameters (a new array; X is untouched)."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype="numeric", reset=False)
        return apply_scaling(X, self.center_, self.gain_)

    def inverse_transform(self, X):
        """Map scaled values back to the original units."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype="numeric", reset=False)
        return reverse_scaling(X, self.center_, self.gain_)


class MapStd(_AffineScaler):
    """Standardise columns to mean 0 and N-1 standard deviation 1 (MATLAB ``mapstd``).

    Attributes
    ----------
    center_ : ndarray of shape (n_features,)
        Column means.
    gain_ : ndarray of shape (n_features,)
        ``1 / std`` (1 for constant columns).
    constant_ : ndarray of bool
        Columns with max == min; they map to 0.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.estimators.preprocessing import MapStd
    >>> MapStd().fit_transform(np.array([[1.0], [2.0], [3.0]])).ravel().tolist()
    [-1.0, 0.0, 1.0]
    """

    _params_function = staticmethod(mapstd_params)


class MapMinMax(_AffineScaler):
    """Map each column's ``[min, max]`` to ``[-1, 1]`` (MATLAB ``mapminmax``).

    Attributes
    ----------
    center_ : ndarray of shape (n_features,)
        Mid-range of each column.
    gain_ : ndarray of shape (n_features,)
        ``2 / (max - min)`` (1 for constant columns).
    constant_ : ndarray of bool
        Columns with max == min; they map to 0.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.estimators.preprocessing import MapMinMax
    >>> MapMinMax().fit_transform(np.array([[0.0], [5.0], [10.0]])).ravel().tolist()
    [-1.0, 0.0, 1.0]
    """

    _params_function = staticmethod(mapminmax_params)
