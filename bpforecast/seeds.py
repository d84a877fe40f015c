"""Seeds, derived in one place.

Two rules give every random start in the package its seed:

* :func:`restart_seeds`: the ``k``-th of several networks trained from
  different starts gets ``random_state + k`` (an int), so that network
  ``k`` equals a separate fit with that seed; a ``RandomState`` draws the
  seeds; None leaves them unseeded.
* :func:`series_seed`: series ``unique_id`` of a many-series fit gets a seed
  derived from the global ``random_state`` and the id itself (not its
  position), through :class:`numpy.random.SeedSequence`.

Examples
--------
>>> from bpforecast.seeds import restart_seeds, series_seed
>>> restart_seeds(7, 3)
[7, 8, 9]
>>> restart_seeds(series_seed(0, "a"), 2)[1] == series_seed(0, "a") + 1
True
"""

from __future__ import annotations

import hashlib
import numbers
from collections.abc import Hashable
from typing import Any

import numpy as np
from sklearn.utils import check_random_state

__all__ = ["resolve_random_state", "restart_seeds", "series_seed"]


def restart_seeds(random_state: Any, n: int) -> list[int | None]:
    """The seeds of ``n`` restarts under ``random_state``.

    Parameters
    ----------
    random_state : None, int or numpy.random.RandomState
        None: ``n`` times None (each restart draws its own start). An int
        ``s``: ``s, s + 1, ..., s + n - 1``. A RandomState: ``n`` ints drawn
        from it (it advances).
    n : int

    Returns
    -------
    list

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.seeds import restart_seeds
    >>> restart_seeds(None, 2), restart_seeds(0, 3)
    ([None, None], [0, 1, 2])
    >>> restart_seeds(np.random.RandomState(0), 2) == restart_seeds(
    ...     np.random.RandomState(0), 2)
    True
    """
    if random_state is None:
        return [None] * n
    if isinstance(random_state, numbers.Integral):
        return [int(random_state) + k for k in range(n)]
    rng = check_random_state(random_state)
    return [int(rng.randint(np.iinfo(np.int32).max)) for _ in range(n)]


def resolve_random_state(random_state: Any) -> int | None:
    """None, the int itself, or one int drawn from a RandomState or Generator.

    For the parameters validated by scikit-learn's ``"random_state"``
    constraint (plus :class:`numpy.random.Generator`).

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.seeds import resolve_random_state
    >>> resolve_random_state(None), resolve_random_state(5)
    (None, 5)
    >>> 0 <= resolve_random_state(np.random.default_rng(0)) < 2**31
    True
    """
    if random_state is None:
        return None
    if isinstance(random_state, np.random.RandomState):
        return int(random_state.randint(0, 2**31 - 1))
    if isinstance(random_state, np.random.Generator):
        return int(random_state.integers(0, 2**31 - 1))
    return int(random_state)


def series_seed(random_state: int, unique_id: Hashable) -> int:
    """The seed of series ``unique_id`` under a global ``random_state``.

    ``numpy.random.SeedSequence(random_state, spawn_key=(h,))`` where ``h``
    is the 64-bit BLAKE2b hash of ``str(unique_id)`` (UTF-8), reduced to
    ``[0, 2**31)``. It depends only on the two arguments: not on the
    series' position, the other series, ``n_jobs`` or the process (Python's
    own ``hash`` of strings changes between processes and is not used). Ids
    with the same ``str`` (``1`` and ``"1"``) get the same seed, which is
    harmless. Use it to refit one series alone with the same result as in
    :func:`forecast_many`.

    Parameters
    ----------
    random_state : int
        Non-negative.
    unique_id : hashable
        The series id.

    Returns
    -------
    int
        In ``[0, 2**31)``; a :class:`~bpforecast.BPForecaster` then seeds its
        ``k``-th network with ``seed + k``.

    Examples
    --------
    >>> from bpforecast.seeds import series_seed
    >>> series_seed(0, "a") == series_seed(0, "a"), series_seed(0, "a") < 2**31
    (True, True)
    >>> series_seed(0, "a") != series_seed(0, "b") != series_seed(1, "b")
    True
    """
    if (
        isinstance(random_state, (bool, np.bool_))
        or not isinstance(random_state, numbers.Integral)
        or random_state < 0
    ):
        raise ValueError(
            f"random_state must be a non-negative int, got {random_state!r}."
        )
    digest = hashlib.blake2b(str(unique_id).encode("utf-8"), digest_size=8).digest()
    key = int.from_bytes(digest, "little")
    seq = np.random.SeedSequence(int(random_state), spawn_key=(key,))
    return int(seq.generate_state(1, dtype=np.uint32)[0] >> 1)
