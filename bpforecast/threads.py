"""One BLAS thread per fit, so that results do not depend on the process.

OpenBLAS chooses its kernels by its number of threads, and for matrices of
the size of a forecasting network's normal equations (a hundred weights and
more) the result of a factorisation differs in the last bits between one
thread and two. A worker process of joblib runs with one BLAS thread and
the calling process with all of them: without a limit, forecasts made with
``n_jobs=1`` and ``n_jobs=2`` would differ by rounding. Every fit that may
run in parallel (many series, backtest folds) therefore runs inside
:func:`one_thread`, in the calling process as in the workers.

Examples
--------
>>> import numpy as np
>>> from bpforecast.threads import one_thread
>>> with one_thread():
...     x = np.linalg.inv(np.eye(3))
>>> x.trace()
np.float64(3.0)
"""

from __future__ import annotations

import contextlib

__all__ = ["one_thread"]

_CONTROLLER = None


def one_thread() -> contextlib.AbstractContextManager:
    """A context in which BLAS and OpenMP use one thread (``threadpoolctl``).

    The controller, which inspects the loaded libraries, is made once per
    process.

    Examples
    --------
    >>> from threadpoolctl import threadpool_info
    >>> from bpforecast.threads import one_thread
    >>> with one_thread():
    ...     {pool["num_threads"] for pool in threadpool_info()}
    {1}
    """
    global _CONTROLLER
    if _CONTROLLER is None:
        from threadpoolctl import ThreadpoolController

        _CONTROLLER = ThreadpoolController()
    return _CONTROLLER.limit(limits=1)
