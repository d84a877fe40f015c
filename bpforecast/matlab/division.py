"""MATLAB's division functions (0-based indices).

The index arithmetic lives in :mod:`bpforecast.estimators.division`; this
module adds MATLAB's call forms (a sample count or a data matrix) and the
:func:`~bpforecast.matlab.rng` generator.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ..estimators.division import divideblock as _divideblock
from ..estimators.division import divideind as _divideind
from ..estimators.division import divideint as _divideint
from ..estimators.division import dividerand as _dividerand
from .arrays import _rows
from .names import _random_state


def _divide_call(Q: Any, indices: tuple[np.ndarray, ...]):
    if isinstance(Q, numbers.Integral) and not isinstance(Q, bool):
        return indices
    data = _rows(Q, "Q", allow_nan=True)
    return (*(data[:, idx] for idx in indices), *indices)


def _n_of(Q: Any) -> int:
    if isinstance(Q, numbers.Integral) and not isinstance(Q, bool):
        return int(Q)
    return _rows(Q, "Q", allow_nan=True).shape[1]


def dividerand(
    Q: int | ArrayLike,  # noqa: N803
    trainRatio: float = 0.7,  # noqa: N803
    valRatio: float = 0.15,  # noqa: N803
    testRatio: float = 0.15,  # noqa: N803
    *,
    random_state: Any = None,
):
    """MATLAB's ``[trainInd, valInd, testInd] = dividerand(Q, ...)``, 0-based.

    With a data matrix instead of ``Q`` (samples in columns), returns
    ``trainP, valP, testP, trainInd, valInd, testInd`` as MATLAB does.
    ``random_state`` defaults to the generator of :func:`rng`.

    Examples
    --------
    >>> from bpforecast.matlab import dividerand
    >>> [len(p) for p in dividerand(20, random_state=0)]
    [14, 3, 3]
    """
    idx = _dividerand(
        _n_of(Q),
        trainRatio,
        valRatio,
        testRatio,
        random_state=_random_state(random_state),
    )
    return _divide_call(Q, idx)


def divideblock(
    Q: int | ArrayLike,  # noqa: N803
    trainRatio: float = 0.7,  # noqa: N803
    valRatio: float = 0.15,  # noqa: N803
    testRatio: float = 0.15,  # noqa: N803
):
    """MATLAB's ``divideblock``: contiguous train, validation, test blocks (0-based).

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.matlab import divideblock
    >>> trainP, valP, testP, trainInd, valInd, testInd = divideblock(
    ...     np.arange(10.0)[None, :], 0.6, 0.2, 0.2)
    >>> valP.tolist(), testInd.tolist()
    ([[6.0, 7.0]], [8, 9])
    """
    return _divide_call(Q, _divideblock(_n_of(Q), trainRatio, valRatio, testRatio))


def divideint(
    Q: int | ArrayLike,  # noqa: N803
    trainRatio: float = 0.7,  # noqa: N803
    valRatio: float = 0.15,  # noqa: N803
    testRatio: float = 0.15,  # noqa: N803
):
    """MATLAB's ``divideint``: interleaved sets (0-based).

    Examples
    --------
    >>> from bpforecast.matlab import divideint
    >>> [p.tolist() for p in divideint(10, 0.6, 0.2, 0.2)]
    [[0, 2, 4, 5, 7, 9], [1, 6], [3, 8]]
    """
    return _divide_call(Q, _divideint(_n_of(Q), trainRatio, valRatio, testRatio))


def divideind(
    Q: int | ArrayLike,  # noqa: N803
    trainInd: Iterable[int] = (),  # noqa: N803
    valInd: Iterable[int] = (),  # noqa: N803
    testInd: Iterable[int] = (),  # noqa: N803
):
    """MATLAB's ``divideind``: the given (0-based) indices, checked.

    Examples
    --------
    >>> from bpforecast.matlab import divideind
    >>> [p.tolist() for p in divideind(5, [0, 1, 2], [3], [4])]
    [[0, 1, 2], [3], [4]]
    """
    idx = _divideind(
        _n_of(Q),
        np.asarray(list(trainInd), dtype=int),
        np.asarray(list(valInd), dtype=int),
        np.asarray(list(testInd), dtype=int),
    )
    return _divide_call(Q, idx)
