"""Time-ordered splitters: rolling-origin cross-validation.

:class:`RollingOriginSplit` gives the train/test positions of successive
forecast origins. It is scikit-learn's ``cv=`` argument for a table of lag
windows, and :func:`bpforecast.evaluation.backtesting.backtest` builds its
folds with it. (It moved here from :mod:`bpforecast.forecasting.windowing`,
which re-exports it.)

Examples
--------
>>> import numpy as np
>>> from bpforecast.evaluation.splitters import RollingOriginSplit
>>> [test.tolist() for _, test in RollingOriginSplit(2, horizon=2).split(np.zeros(6))]
[[2, 3], [4, 5]]
"""

from __future__ import annotations

import numbers
from collections.abc import Iterator
from typing import Any

import numpy as np
from sklearn.model_selection import BaseCrossValidator

__all__ = ["RollingOriginSplit"]


def _is_int(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(
        value, (bool, np.bool_)
    )


def _check_param(value: Any, name: str, minimum: int, optional: bool) -> None:
    if value is None and optional:
        return
    if not _is_int(value) or value < minimum:
        what = "a positive int" if minimum == 1 else f"an int >= {minimum}"
        none = " or None" if optional else ""
        raise ValueError(f"{name} must be {what}{none}, got {value!r}.")


def _n_samples(X: Any) -> int:
    if X is None:
        raise ValueError("X is needed to know the number of samples.")
    shape = getattr(X, "shape", None)
    if shape is not None and len(shape) >= 1:
        return int(shape[0])
    return len(X)


class RollingOriginSplit(BaseCrossValidator):
    """Rolling-origin (time-ordered) cross-validation for ``cv=``.

    Each fold trains on samples before an origin ``e`` and tests on the
    ``horizon`` consecutive samples that start ``gap`` samples later:
    ``train = [e - max_train_size, e)`` (from 0 when ``max_train_size`` is
    None: an expanding window), ``test = [e + gap, e + gap + horizon)``. The
    origin moves forward by ``step`` samples per fold. Samples must be rows
    in time order (e.g. ``make_windows`` on a single series); ``groups`` is
    ignored.

    Where the origins are:

    * ``initial`` given: the first origin is ``initial`` (the size of the
      first training set); then ``n_splits`` folds, or as many as fit when
      ``n_splits`` is None. Samples after the last test fold go unused.
    * ``initial`` None: the last test fold ends at the last sample and
      ``n_splits`` (default 5) folds are counted back from there.

    Parameters
    ----------
    n_splits : int, optional
        Number of folds (>= 1). Default: 5 without ``initial``, else as many
        as fit.
    initial : int, optional
        Number of training samples in the first fold (>= 1).
    horizon : int, default=1
        Number of test samples per fold.
    step : int, optional
        Samples the origin moves per fold; default ``horizon`` (test folds
        touch without overlapping).
    max_train_size : int, optional
        Keep only the last ``max_train_size`` samples before the origin for
        training (a rolling window). Default: all of them (expanding).
    gap : int, default=0
        Samples left out between the end of training and the start of the
        test fold. With windows from ``make_windows(..., horizon=H)``, use
        ``gap >= H - 1`` so that no training target lies at or after the
        first test row's time.

    Raises
    ------
    ValueError
        On construction, for a parameter that is not an int of the right
        range; in ``split``, when the folds do not fit in the samples.

    See Also
    --------
    bpforecast.estimators.division.divideblock : one train/validation/test division.
    sklearn.model_selection.TimeSeriesSplit : scikit-learn's version.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.evaluation.splitters import RollingOriginSplit
    >>> cv = RollingOriginSplit(n_splits=3, horizon=2)
    >>> for train, test in cv.split(np.zeros((10, 1))):
    ...     print(train.tolist(), test.tolist())
    [0, 1, 2, 3] [4, 5]
    [0, 1, 2, 3, 4, 5] [6, 7]
    [0, 1, 2, 3, 4, 5, 6, 7] [8, 9]
    >>> cv = RollingOriginSplit(initial=4, max_train_size=3, gap=1)
    >>> for train, test in cv.split(np.zeros((8, 1))):
    ...     print(train.tolist(), test.tolist())
    [1, 2, 3] [5]
    [2, 3, 4] [6]
    [3, 4, 5] [7]

    It plugs into scikit-learn's model selection:

    >>> from sklearn.linear_model import Ridge
    >>> from sklearn.model_selection import cross_val_score
    >>> X, y = np.arange(40.0).reshape(-1, 1), 2 * np.arange(40.0)
    >>> cross_val_score(Ridge(), X, y, cv=RollingOriginSplit(3, horizon=5)).shape
    (3,)
    """

    def __init__(
        self,
        n_splits: int | None = None,
        initial: int | None = None,
        horizon: int = 1,
        step: int | None = None,
        max_train_size: int | None = None,
        gap: int = 0,
    ) -> None:
        _check_param(n_splits, "n_splits", 1, optional=True)
        _check_param(initial, "initial", 1, optional=True)
        _check_param(horizon, "horizon", 1, optional=False)
        _check_param(step, "step", 1, optional=True)
        _check_param(max_train_size, "max_train_size", 1, optional=True)
        _check_param(gap, "gap", 0, optional=False)
        self.n_splits = n_splits
        self.initial = initial
        self.horizon = horizon
        self.step = step
        self.max_train_size = max_train_size
        self.gap = gap

    def _origins(self, n: int) -> np.ndarray:
        h, gap = self.horizon, self.gap
        step = self.horizon if self.step is None else self.step
        setup = f"horizon={h}, step={step}, gap={gap}"
        if self.initial is None:
            k = 5 if self.n_splits is None else self.n_splits
            first = n - gap - h - (k - 1) * step
            if first < 1:
                raise ValueError(
                    f"cannot make {k} folds ({setup}) from {n} samples: the "
                    f"first training set would have {first} samples. Use fewer "
                    "folds, a smaller horizon/step/gap, or more data."
                )
            return first + step * np.arange(k)
        first = self.initial
        room = n - gap - h - first
        fit = room // step + 1 if room >= 0 else 0
        k = fit if self.n_splits is None else self.n_splits
        if fit < 1 or k > fit:
            raise ValueError(
                f"cannot make {k if self.n_splits is not None else 'any'} folds "
                f"({setup}, initial={first}) from {n} samples: at most {fit} fit."
            )
        return first + step * np.arange(k)

    def split(
        self, X: Any, y: Any = None, groups: Any = None
    ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Generate ``(train, test)`` index arrays, in time order.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Only its number of rows is used.
        y, groups : ignored
            For compatibility with scikit-learn.

        Yields
        ------
        train, test : numpy.ndarray of int
            Positions of the training and test samples of one fold.

        Examples
        --------
        >>> import numpy as np
        >>> from bpforecast.evaluation.splitters import RollingOriginSplit
        >>> [t.tolist() for _, t in RollingOriginSplit(2).split(np.zeros(5))]
        [[3], [4]]
        """
        n = _n_samples(X)
        for origin in self._origins(n):
            start = 0
            if self.max_train_size is not None:
                start = max(0, int(origin) - self.max_train_size)
            test_start = int(origin) + self.gap
            yield (
                np.arange(start, int(origin)),
                np.arange(test_start, test_start + self.horizon),
            )

    def get_n_splits(self, X: Any = None, y: Any = None, groups: Any = None) -> int:
        """Number of folds.

        ``X`` is needed only when ``initial`` is given without ``n_splits``
        (the count then depends on the number of samples).

        Examples
        --------
        >>> import numpy as np
        >>> from bpforecast.evaluation.splitters import RollingOriginSplit
        >>> RollingOriginSplit().get_n_splits()
        5
        >>> RollingOriginSplit(initial=6, horizon=2).get_n_splits(np.zeros(10))
        2
        """
        if self.n_splits is not None:
            return self.n_splits
        if self.initial is None:
            return 5
        return len(self._origins(_n_samples(X)))
