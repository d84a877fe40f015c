"""The one place bpforecast imports scikit-learn's private helpers.

bpforecast declares its estimators' parameters as scikit-learn does
(``_parameter_constraints`` checked by ``BaseEstimator._validate_params``),
with the constraint classes :class:`Interval`, :class:`StrOptions` and
:class:`HasMethods` from ``sklearn.utils._param_validation``. That module
is private: scikit-learn may move or change it in any release. Every
bpforecast module imports these names from here, so a move is fixed in one
place.

Supported scikit-learn versions: 1.6 and later (``setup.cfg`` requires
``scikit-learn>=1.6``), checked up to the version in the development
environment. If the private module moves, importing bpforecast raises an
ImportError that says so, instead of an error deep inside an estimator.

Examples
--------
>>> import numbers
>>> from bpforecast._sklearn_compat import Interval
>>> Interval(numbers.Integral, 1, None, closed="left").is_satisfied_by(3)
True
"""

from __future__ import annotations

import sklearn

__all__ = ["SKLEARN_MIN_VERSION", "HasMethods", "Interval", "StrOptions"]

SKLEARN_MIN_VERSION = "1.6"

try:
    from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
except ImportError as exc:  # pragma: no cover - depends on the installed version
    raise ImportError(
        "bpforecast needs scikit-learn's parameter-validation helpers "
        "(sklearn.utils._param_validation: Interval, StrOptions, HasMethods), "
        f"which scikit-learn {sklearn.__version__} does not provide where they "
        f"were. bpforecast supports scikit-learn >= {SKLEARN_MIN_VERSION} as "
        "long as that private module is in place; install a supported "
        "scikit-learn version or report this at bpforecast's issue tracker. "
        f"({exc})"
    ) from exc
