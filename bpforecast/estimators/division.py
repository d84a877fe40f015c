"""Data division into training, validation and test sets (MATLAB's divide functions).

Each function returns three integer index arrays ``(train, val, test)``.
The counts follow MATLAB: ``n_val = round(val_ratio * n)``,
``n_test = round(test_ratio * n)``, the rest train (ratios are normalised to
sum to one first). For time series use :func:`divideblock`: the validation
block follows the training block and the test block comes last, so early
stopping never looks into the future of the data it trains on.

Examples
--------
>>> from bpforecast.estimators.division import divideblock
>>> train, val, test = divideblock(10, 0.6, 0.2, 0.2)
>>> train.tolist(), val.tolist(), test.tolist()
([0, 1, 2, 3, 4, 5], [6, 7], [8, 9])
"""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.utils import check_random_state

DIVISION_METHODS = ("block", "random", "interleaved")


def _matlab_round(x: float) -> int:
    """MATLAB's round (half away from zero) for x >= 0.

    Python's round() rounds half to even, and floor(x + 0.5) rounds
    0.49999999999999994 up because the sum itself rounds to 1.0.
    """
    low = np.floor(x)
    return int(low + 1 if x - low >= 0.5 else low)


def _counts(n: int, train_ratio: float, val_ratio: float, test_ratio: float):
    ratios = np.array([train_ratio, val_ratio, test_ratio], dtype=float)
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise TypeError(f"n must be an integer number of samples, got {n!r}.")
    if n < 0:
        raise ValueError(f"n must be non-negative, got {n}.")
    if not np.all(np.isfinite(ratios)) or np.any(ratios < 0) or ratios.sum() <= 0:
        raise ValueError(
            "division ratios must be finite, non-negative and not all zero; "
            f"got {tuple(ratios.tolist())}."
        )
    ratios = ratios / ratios.sum()
    n_val = _matlab_round(ratios[1] * n)
    n_test = _matlab_round(ratios[2] * n)
    n_train = n - n_val - n_test
    if n_train < 0:  # only possible through rounding up of tiny n
        n_test += n_train
        n_train = 0
    return n_train, n_val, n_test


def divideblock(
    n: int, train_ratio: float = 0.7, val_ratio: float = 0.15, test_ratio: float = 0.15
):
    """Contiguous blocks: first training, then validation, then test.

    Parameters
    ----------
    n : int
        Number of samples.
    train_ratio, val_ratio, test_ratio : float
        Relative sizes (normalised to sum to one).

    Returns
    -------
    train, val, test : arrays of int

    Examples
    --------
    >>> from bpforecast.estimators.division import divideblock
    >>> [len(part) for part in divideblock(100)]
    [70, 15, 15]
    """
    n_train, n_val, _ = _counts(n, train_ratio, val_ratio, test_ratio)
    idx = np.arange(n)
    return idx[:n_train], idx[n_train : n_train + n_val], idx[n_train + n_val :]


def dividerand(
    n: int,
    train_ratio: float = 0.7,
    val_ratio: float = 0.15,
    test_ratio: float = 0.15,
    random_state=None,
):
    """Random division (MATLAB's default for static fitting; not for series).

    Examples
    --------
    >>> from bpforecast.estimators.division import dividerand
    >>> train, val, test = dividerand(20, random_state=0)
    >>> sorted([*train, *val, *test]) == list(range(20))
    True
    """
    n_train, n_val, _ = _counts(n, train_ratio, val_ratio, test_ratio)
    perm = check_random_state(random_state).permutation(n)
    return (
        np.sort(perm[:n_train]),
        np.sort(perm[n_train : n_train + n_val]),
        np.sort(perm[n_train + n_val :]),
    )


def divideint(
    n: int, train_ratio: float = 0.7, val_ratio: float = 0.15, test_ratio: float = 0.15
):
    """Interleaved division: the three sets take turns along the sample order.

    Sample ``i`` goes to the set that is furthest behind its share so far
    (ties to training, then validation), so each set is spread evenly over
    the whole range with the same counts as :func:`divideblock`.

    Examples
    --------
    >>> from bpforecast.estimators.division import divideint
    >>> train, val, test = divideint(10, 0.6, 0.2, 0.2)
    >>> train.tolist(), val.tolist(), test.tolist()
    ([0, 2, 4, 5, 7, 9], [1, 6], [3, 8])
    """
    counts = np.array(_counts(n, train_ratio, val_ratio, test_ratio), dtype=float)
    shares = counts / max(n, 1)
    taken = np.zeros(3)
    labels = np.empty(n, dtype=int)
    for i in range(n):
        deficit = np.where(taken < counts, shares * (i + 1) - taken, -np.inf)
        k = int(np.argmax(deficit))
        labels[i] = k
        taken[k] += 1
    return tuple(np.flatnonzero(labels == k) for k in range(3))


def divideind(n: int, train_ind, val_ind=(), test_ind=()):
    """Division by explicit indices (MATLAB's ``divideind``), checked.

    Raises
    ------
    ValueError
        If an index is out of range or appears in more than one set.

    Examples
    --------
    >>> from bpforecast.estimators.division import divideind
    >>> [p.tolist() for p in divideind(5, [0, 1, 2], [3], [4])]
    [[0, 1, 2], [3], [4]]
    """
    parts = []
    for name, p in (
        ("train_ind", train_ind),
        ("val_ind", val_ind),
        ("test_ind", test_ind),
    ):
        arr = np.asarray(p).reshape(-1)
        if arr.size and not np.issubdtype(arr.dtype, np.integer):
            raise TypeError(
                f"divideind: {name} must hold integer indices, got dtype {arr.dtype}"
                " (for a boolean mask, pass np.flatnonzero(mask))."
            )
        parts.append(arr.astype(int))
    everything = np.concatenate(parts)
    if everything.size and (everything.min() < 0 or everything.max() >= n):
        raise ValueError(
            f"divideind: indices must lie in [0, {n}); got out-of-range ones."
        )
    if np.unique(everything).size != everything.size:
        raise ValueError("divideind: an index appears twice or in more than one set.")
    return tuple(parts)


def divide(n: int, method: str | None, ratios=(0.7, 0.15, 0.15), random_state=None):
    """Dispatch on a method name; ``None`` puts every sample in training.

    Examples
    --------
    >>> from bpforecast.estimators.division import divide
    >>> [len(p) for p in divide(10, None)]
    [10, 0, 0]
    """
    if method is None:
        return np.arange(n), np.arange(0), np.arange(0)
    if method == "block":
        return divideblock(n, *ratios)
    if method == "interleaved":
        return divideint(n, *ratios)
    if method == "random":
        return dividerand(n, *ratios, random_state=random_state)
    raise ValueError(
        f"division must be one of {DIVISION_METHODS} or None, got {method!r}."
    )
