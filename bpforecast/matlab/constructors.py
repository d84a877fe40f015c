"""Network constructors: ``feedforwardnet``, ``fitnet``, ``newff``, ``narnet`` ...

Also ``narxnet`` and ``timedelaynet``; each returns a
:class:`~bpforecast.matlab.Network`.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .arrays import _rows
from .names import _check_fcn
from .network import Network


def _delays(value: Any, name: str, allow_zero: bool) -> tuple[int, ...]:
    """MATLAB delay vector -> sorted tuple of distinct ints (a scalar is one delay)."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        values = [int(value)]
    else:
        try:
            values = list(np.asarray(list(value)).reshape(-1))
        except TypeError:
            raise TypeError(
                f"{name} must be an int or a sequence of ints, got {value!r}."
            ) from None
    if not values:
        raise ValueError(f"{name} must not be empty.")
    out = []
    for v in values:
        if not isinstance(v, (numbers.Integral, np.integer)) or isinstance(v, bool):
            raise TypeError(f"{name} must contain integers, got {value!r}.")
        out.append(int(v))
    low = 0 if allow_zero else 1
    if min(out) < low:
        kind = "non-negative" if allow_zero else "positive"
        raise ValueError(f"{name} must be {kind} integers, got {value!r}.")
    return tuple(sorted(set(out)))


def _hidden_sizes(value: Any) -> list[int]:
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        sizes = [int(value)]
    else:
        sizes = [int(s) for s in np.asarray(list(value)).reshape(-1)]
    if any(s < 1 for s in sizes):
        raise ValueError(f"hidden layer sizes must be positive, got {value!r}.")
    return sizes


def feedforwardnet(
    hiddenSizes: int | Sequence[int] = 10,  # noqa: N803
    trainFcn: str = "trainlm",  # noqa: N803
) -> Network:
    """MATLAB's ``feedforwardnet(hiddenSizes, trainFcn)``.

    ``tansig`` hidden layers, a ``purelin`` output layer, ``mapminmax``
    processing, ``dividerand`` 70/15/15 and ``trainlm``: MATLAB's defaults.

    Parameters
    ----------
    hiddenSizes : int or sequence of int, default=10
        Neurons per hidden layer (``[]`` for none: a linear model).
    trainFcn : str, default='trainlm'

    Returns
    -------
    Network

    Examples
    --------
    >>> from bpforecast import matlab as nn
    >>> net = nn.feedforwardnet([8, 4], "traingdx")
    >>> net.name, net.trainFcn, [la.transferFcn for la in net.layers]
    ('Feed-Forward Neural Network', 'traingdx', ['tansig', 'tansig', 'purelin'])
    """
    return Network(
        "Feed-Forward Neural Network", _hidden_sizes(hiddenSizes), None, trainFcn
    )


def fitnet(
    hiddenSizes: int | Sequence[int] = 10,  # noqa: N803
    trainFcn: str = "trainlm",  # noqa: N803
) -> Network:
    """MATLAB's ``fitnet(hiddenSizes, trainFcn)``: a :func:`feedforwardnet` for fitting.

    Examples
    --------
    >>> from bpforecast import matlab as nn
    >>> nn.fitnet().name
    'Function Fitting Neural Network'
    """
    return Network(
        "Function Fitting Neural Network", _hidden_sizes(hiddenSizes), None, trainFcn
    )


def newff(
    P: ArrayLike,  # noqa: N803
    T: ArrayLike,  # noqa: N803
    S: int | Sequence[int] = (),  # noqa: N803
    TF: Sequence[str] | None = None,  # noqa: N803
    BTF: str = "trainlm",  # noqa: N803
    BLF: str = "learngdm",  # noqa: N803
    PF: str = "mse",  # noqa: N803
    IPF: Sequence[str] | None = None,  # noqa: N803
    OPF: Sequence[str] | None = None,  # noqa: N803
    DDF: str = "dividerand",  # noqa: N803
) -> Network:
    """MATLAB's legacy ``newff(P, T, S, TF, BTF, BLF, PF, IPF, OPF, DDF)``.

    ``P`` and ``T`` are example inputs and targets (variables in rows); here
    they only set the sizes, the weights are made by :func:`train`. The
    older form ``newff(PR, [S1 ... SN], ...)`` with an input-range matrix is
    not supported. ``BLF`` (the per-weight learning function) has no
    equivalent and is ignored; ``'fixunknowns'`` in ``IPF`` is ignored (NaN
    inputs are not supported).

    Parameters
    ----------
    P, T : array-like of shape (n_inputs, Q), (n_outputs, Q)
    S : int or sequence of int, default=()
        Hidden layer sizes (MATLAB's default is none).
    TF : sequence of str, optional
        Transfer function per layer, hidden layers then output; default
        ``tansig`` hidden, ``purelin`` output.
    BTF : str, default='trainlm'
        Training function (MATLAB's default for newff too).
    PF : str, default='mse'
    IPF, OPF : sequence of str, optional
        Input and output processing, default
        ``['removeconstantrows', 'mapminmax']``.
    DDF : str, default='dividerand'

    Returns
    -------
    Network

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast import matlab as nn
    >>> P = np.random.default_rng(0).uniform(size=(2, 30)); T = P.sum(axis=0)
    >>> net = nn.newff(P, T, 5, ["logsig", "purelin"], "traingdx")
    >>> net.layers[0].transferFcn, net.layers[-1].size, net.trainFcn
    ('logsig', 1, 'traingdx')
    """
    del BLF
    x, t = _rows(P, "P"), _rows(T, "T")
    if x.shape[1] != t.shape[1]:
        raise ValueError(
            f"P and T must have the same number of columns (samples): got "
            f"{x.shape[1]} and {t.shape[1]}."
        )
    net = Network(
        "Feed-Forward Neural Network",
        _hidden_sizes(S),
        TF,
        BTF,
        DDF,
        input_process=[f for f in (IPF or ()) if f != "fixunknowns"] or None,
        output_process=OPF,
    )
    net.performFcn = PF
    net.layers[-1].size = t.shape[0]
    return net


def narnet(
    feedbackDelays: int | Sequence[int] = (1, 2),  # noqa: N803
    hiddenSizes: int | Sequence[int] = 10,  # noqa: N803
    feedbackMode: str = "open",  # noqa: N803
    trainFcn: str = "trainlm",  # noqa: N803
) -> Network:
    """MATLAB's ``narnet(feedbackDelays, hiddenSizes, feedbackMode, trainFcn)``.

    Nonlinear autoregression: ``y(t) = f(y(t - d) for d in feedbackDelays)``.
    As in MATLAB a scalar is a single delay: ``narnet(2)`` uses ``y(t-2)``
    only; MATLAB's ``1:d`` is ``range(1, d + 1)``.

    Parameters
    ----------
    feedbackDelays : int or sequence of int, default=(1, 2)
        Positive delays.
    hiddenSizes : int or sequence of int, default=10
    feedbackMode : {'open', 'closed'}, default='open'
        Networks are trained open loop; 'closed' is only useful for a
        network that will get its weights elsewhere, so :func:`closeloop`
        after training is the usual way.
    trainFcn : str, default='trainlm'

    Returns
    -------
    Network

    Examples
    --------
    >>> from bpforecast import matlab as nn
    >>> net = nn.narnet(range(1, 4), 10)
    >>> net.feedbackDelays, net.numInputs, net.divideMode
    ((1, 2, 3), 1, 'time')
    """
    fb = _delays(feedbackDelays, "feedbackDelays", allow_zero=False)
    _check_fcn(feedbackMode, ("open", "closed"), "feedbackMode")
    return Network(
        "NAR Neural Network",
        _hidden_sizes(hiddenSizes),
        None,
        trainFcn,
        feedback_delays=fb,
        feedback_mode=feedbackMode,
        has_external_input=False,
    )


def narxnet(
    inputDelays: int | Sequence[int] = (1, 2),  # noqa: N803
    feedbackDelays: int | Sequence[int] = (1, 2),  # noqa: N803
    hiddenSizes: int | Sequence[int] = 10,  # noqa: N803
    feedbackMode: str = "open",  # noqa: N803
    trainFcn: str = "trainlm",  # noqa: N803
) -> Network:
    """MATLAB's ``narxnet(inputDelays, feedbackDelays, hiddenSizes, ...)``.

    ``y(t) = f(x(t - e) for e in inputDelays, y(t - d) for d in
    feedbackDelays)``; input delays may include 0 (the input at time t).

    Examples
    --------
    >>> from bpforecast import matlab as nn
    >>> net = nn.narxnet([0, 1], [1, 2], 5)
    >>> net.inputDelays, net.feedbackDelays, net.numInputs, net.numInputDelays
    ((0, 1), (1, 2), 2, 2)
    """
    ex = _delays(inputDelays, "inputDelays", allow_zero=True)
    fb = _delays(feedbackDelays, "feedbackDelays", allow_zero=False)
    _check_fcn(feedbackMode, ("open", "closed"), "feedbackMode")
    return Network(
        "NARX Neural Network",
        _hidden_sizes(hiddenSizes),
        None,
        trainFcn,
        input_delays=ex,
        feedback_delays=fb,
        feedback_mode=feedbackMode,
    )


def timedelaynet(
    inputDelays: int | Sequence[int] = (1, 2),  # noqa: N803
    hiddenSizes: int | Sequence[int] = 10,  # noqa: N803
    trainFcn: str = "trainlm",  # noqa: N803
) -> Network:
    """MATLAB's ``timedelaynet(inputDelays, hiddenSizes, trainFcn)``.

    ``y(t) = f(x(t - e) for e in inputDelays)``: no feedback.

    Examples
    --------
    >>> from bpforecast import matlab as nn
    >>> net = nn.timedelaynet([0, 1, 2], 4)
    >>> net.feedbackMode, net.numInputDelays
    ('none', 2)
    """
    ex = _delays(inputDelays, "inputDelays", allow_zero=True)
    return Network(
        "Time Delay Neural Network",
        _hidden_sizes(hiddenSizes),
        None,
        trainFcn,
        input_delays=ex,
    )
