"""MATLAB's shallow-network workflow as a thin layer over bpforecast's estimators.

For people porting scripts written for MATLAB's Deep Learning (formerly
Neural Network) Toolbox: the familiar functions (``feedforwardnet``,
``fitnet``, ``newff``, ``train``, ``sim``, ``mapminmax``, ``dividerand``,
``narnet``, ``narxnet``, ``timedelaynet``, ``preparets``, ``closeloop``,
``openloop``, ``removedelay``, ...) with MATLAB's conventions:

* **Orientation**: variables in rows, samples (time steps) in columns.
  ``x`` has shape ``(n_inputs, Q)`` and ``t`` ``(n_outputs, Q)``; a 1-D
  array is one row, and outputs always come back 2-D (a single output is a
  ``(1, Q)`` row, as in MATLAB).
* **A network object** (:class:`Network`) with MATLAB's settable fields:
  ``net.trainFcn``, ``net.trainParam.epochs``, ``net.divideFcn``,
  ``net.divideParam.trainRatio``, ``net.layers[0].size``,
  ``net.layers[0].transferFcn``, ``net.inputs[0].processFcns`` ... Cell
  arrays become Python lists, so indices start at 0: MATLAB's
  ``net.layers{1}`` is ``net.layers[0]`` and ``net.outputs{2}`` is
  ``net.outputs[1]`` (or ``net.outputs[-1]``).
* **Value semantics**: ``train``, ``closeloop``, ``openloop`` and
  ``removedelay`` return new networks and leave their argument unchanged,
  as ``net = train(net, x, t)`` does in MATLAB.

Nothing here trains or windows anything itself. :func:`train` builds a
:class:`~bpforecast.BPRegressor` from the network's fields (the mapping is
in :meth:`Network.regressor_params`) and fits it on ``x.T, t.T``; the time
series functions build their lag tables with
:func:`bpforecast.forecasting.windowing.make_windows` and
:func:`bpforecast.forecasting.windowing.last_window`; scaling and division reuse
:mod:`bpforecast.estimators.preprocessing` and :mod:`bpforecast.estimators.division`.

Where this layer differs from MATLAB (see ``docs/porting-from-matlab.md``):

* Indices (``tr.trainInd``, ``divideParam.trainInd``, ``dividerand``'s
  results) are 0-based.
* ``tr.perf``, ``vperf``, ``tperf`` and ``trainParam.goal`` are mean squared
  errors of the *scaled* targets (what MATLAB reports with
  ``net.performParam.normalization = 'standard'``), as in
  :attr:`BPRegressor.history_ <bpforecast.BPRegressor.history_>`.
* Supported: training functions ``trainlm`` (the default, as in MATLAB),
  ``traingdx``, ``traingd``, ``traingdm``, ``traingda``; performance ``mse``;
  processing ``removeconstantrows`` plus one of ``mapminmax`` / ``mapstd``
  (or neither), the same for inputs and outputs; one hidden transfer
  function for all hidden layers; one feedback series (a scalar per time
  step) for ``narnet`` / ``narxnet``. Training a closed-loop network,
  ``closeloop`` of a network with removed delays, error weights and the
  toolbox's GUI are not supported.
* Time series are plain arrays, not cell arrays: a MATLAB cell array of
  scalars ``{y1, y2, ...}`` becomes a 1-D array (or a ``(1, N)`` row); a
  ``2 x N`` cell array of scalars (``narxnet``'s input and feedback rows)
  becomes a ``(2, N)`` array.

Examples
--------
A static fit, MATLAB style:

>>> import numpy as np
>>> from bpforecast import matlab as nn
>>> x = np.linspace(-1, 1, 60)[None, :]          # 1 input, 60 samples
>>> t = x**2
>>> net = nn.feedforwardnet(5)
>>> net.trainParam.epochs = 50
>>> net, tr = nn.train(net, x, t, random_state=0)
>>> net(x).shape, tr.stop in nn.STOP_MESSAGES.values()
((1, 60), True)

A NAR network, trained open loop and run closed loop past the data:

>>> y = np.sin(np.arange(80) / 4)
>>> net = nn.narnet([1, 2], 8)
>>> net.divideFcn = "divideblock"
>>> Xs, Xi, Ai, Ts = nn.preparets(net, None, None, y)
>>> net, tr = nn.train(net, Xs, Ts, Xi, Ai, random_state=0)
>>> Y, Xf, Af = nn.sim(net, Xs, Xi, Ai, return_states=True)
>>> netc, Xic, Aic = nn.closeloop(net, Xf, Af)
>>> netc(5, Xic, Aic).shape                       # 5 steps after the data
(1, 5)
"""

from __future__ import annotations

import copy
import math
import numbers
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ..estimators.division import divideblock as _divideblock
from ..estimators.division import divideind as _divideind
from ..estimators.division import divideint as _divideint
from ..estimators.division import dividerand as _dividerand
from ..estimators.preprocessing import (
    apply_scaling,
    mapminmax_params,
    mapstd_params,
    reverse_scaling,
)
from ..estimators.regressor import BPRegressor
from ..forecasting.windowing import last_window, make_windows

__all__ = [
    "STOP_MESSAGES",
    "DivideParam",
    "Layer",
    "Network",
    "Port",
    "ProcessSettings",
    "TrainParam",
    "TrainingRecord",
    "adddelay",
    "closeloop",
    "divideblock",
    "divideind",
    "divideint",
    "dividerand",
    "feedforwardnet",
    "fitnet",
    "gsubtract",
    "init",
    "mapminmax",
    "mapstd",
    "narnet",
    "narxnet",
    "newff",
    "openloop",
    "perform",
    "preparets",
    "removeconstantrows",
    "removedelay",
    "rng",
    "setdemorandstream",
    "sim",
    "timedelaynet",
    "train",
    "training_record",
]

# ----------------------------------------------------------------------------
# MATLAB's names and defaults
# ----------------------------------------------------------------------------

_COMMON = {
    "epochs": 1000,
    "goal": 0.0,
    "max_fail": 6,
    "show": 25,
    "showCommandLine": False,
    "showWindow": True,
    "time": math.inf,
}
_GD = {**_COMMON, "lr": 0.01, "min_grad": 1e-5}
_ADAPTIVE = {"lr_inc": 1.05, "lr_dec": 0.7, "max_perf_inc": 1.04}
TRAIN_DEFAULTS: dict[str, dict[str, Any]] = {
    "trainlm": {
        **_COMMON,
        "min_grad": 1e-7,
        "mu": 0.001,
        "mu_dec": 0.1,
        "mu_inc": 10.0,
        "mu_max": 1e10,
    },
    "traingdx": {**_GD, **_ADAPTIVE, "mc": 0.9},
    "traingd": dict(_GD),
    "traingdm": {**_GD, "mc": 0.9},
    "traingda": {**_GD, **_ADAPTIVE},
}
"""``net.trainParam`` defaults per training function (MATLAB's current ones)."""

_RATIOS = {"trainRatio": 0.70, "valRatio": 0.15, "testRatio": 0.15}
DIVIDE_DEFAULTS: dict[str, dict[str, Any]] = {
    "dividerand": dict(_RATIOS),
    "divideblock": dict(_RATIOS),
    "divideint": dict(_RATIOS),
    "divideind": {"trainInd": [], "valInd": [], "testInd": []},
    "dividetrain": {},
    "": {},
}
"""``net.divideParam`` fields and defaults per division function."""

_DIVISION = {"dividerand": "random", "divideblock": "block", "divideint": "interleaved"}
_DIVIDE_NAME = {value: key for key, value in _DIVISION.items()}

STOP_MESSAGES: dict[str, str] = {
    "epochs": "Maximum epoch reached.",
    "goal": "Performance goal met.",
    "min_grad": "Minimum gradient reached.",
    "max_fail": "Validation stop.",
    "time": "Maximum time elapsed.",
    "user": "User stop.",
    "mu_max": "Maximum MU reached.",
}
"""MATLAB's ``tr.stop`` text for each :attr:`BPRegressor.stop_reason_` code."""

_PROCESS_IGNORED = ("removeconstantrows", "fixunknowns")
_INIT = {"initnw": "nguyen-widrow", "glorot": "glorot"}
_IGNORED_TRAIN_PARAMS = ("show", "showCommandLine", "showWindow")

_STATE: dict[str, Any] = {"random_state": None}


def rng(seed: int | str = "default") -> None:
    """Seed the generator :func:`train` and :func:`dividerand` use (MATLAB ``rng``).

    Without ``rng`` (and without a ``random_state`` argument) every training
    run starts from fresh random weights. After ``rng(seed)`` the runs that
    follow are reproducible as a sequence, as in MATLAB: two ``train`` calls
    in a row still differ from each other, but the script gives the same
    results each time it runs. (The numbers differ from MATLAB's: another
    generator, another initialisation order.)

    Parameters
    ----------
    seed : int, 'default' or 'shuffle', default='default'
        'default' is seed 0 (MATLAB's start-up state); 'shuffle' seeds from
        the operating system's entropy.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast import matlab as nn
    >>> nn.rng(1); a = nn.dividerand(10)[0]
    >>> nn.rng(1); b = nn.dividerand(10)[0]
    >>> bool(np.array_equal(a, b))
    True
    >>> nn.rng("shuffle")  # back to unpredictable
    """
    if isinstance(seed, str):
        if seed == "default":
            state = np.random.RandomState(0)
        elif seed == "shuffle":
            state = np.random.RandomState()
        else:
            raise ValueError(f"rng: unknown option {seed!r}; use an int, 'default'.")
    elif isinstance(seed, numbers.Integral) and not isinstance(seed, bool):
        state = np.random.RandomState(int(seed))
    else:
        raise TypeError(
            f"rng: seed must be an int or 'default'/'shuffle', got {seed!r}."
        )
    _STATE["random_state"] = state


def setdemorandstream(seed: int) -> None:
    """MATLAB's ``setdemorandstream(seed)``: the same as :func:`rng`.

    Examples
    --------
    >>> from bpforecast import matlab as nn
    >>> nn.setdemorandstream(491218382)
    """
    rng(seed)


def _random_state(random_state):
    return random_state if random_state is not None else _STATE["random_state"]


# ----------------------------------------------------------------------------
# small attribute bags (MATLAB structs with a fixed set of fields)
# ----------------------------------------------------------------------------


class _Struct:
    """A MATLAB struct with a fixed set of fields: typos raise AttributeError."""

    _kind = "struct"

    def __init__(self, owner: str, values: dict[str, Any]) -> None:
        object.__setattr__(self, "_owner", owner)
        object.__setattr__(self, "_values", dict(values))

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        values = object.__getattribute__(self, "_values")
        if name in values:
            return values[name]
        raise AttributeError(self._unknown(name))

    def __setattr__(self, name: str, value: Any) -> None:
        if name not in self._values:
            raise AttributeError(self._unknown(name))
        self._values[name] = value

    def _unknown(self, name: str) -> str:
        fields = ", ".join(self._values) or "none"
        return (
            f"{self._kind} of {self._owner!r} has no field {name!r} "
            f"(its fields: {fields})."
        )

    def __dir__(self) -> list[str]:
        return [*super().__dir__(), *self._values]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _Struct):
            return NotImplemented
        return self._owner == other._owner and self._values == other._values

    def to_dict(self) -> dict[str, Any]:
        """The fields as a plain dict (a copy).

        Examples
        --------
        >>> from bpforecast.matlab import TrainParam
        >>> TrainParam("trainlm").to_dict()["mu"]
        0.001
        """
        return dict(self._values)

    def __repr__(self) -> str:
        width = max((len(k) for k in self._values), default=0)
        lines = [f"{self._kind} ({self._owner}):"]
        lines += [f"  {k:>{width}}: {v!r}" for k, v in self._values.items()]
        return "\n".join(lines)


class TrainParam(_Struct):
    """``net.trainParam``: the training function's parameters, MATLAB's names.

    Setting ``net.trainFcn`` resets it to that function's defaults
    (:data:`TRAIN_DEFAULTS`), as in MATLAB. ``show``, ``showWindow`` and
    ``showCommandLine`` are accepted and ignored.

    Examples
    --------
    >>> from bpforecast.matlab import TrainParam
    >>> p = TrainParam("traingdx")
    >>> p.lr, p.mc, p.max_fail
    (0.01, 0.9, 6)
    >>> p.epochs = 200
    >>> p.epoch = 200
    Traceback (most recent call last):
    ...
    AttributeError: trainParam of 'traingdx' has no field 'epoch' (its fields: ...
    """

    _kind = "trainParam"

    def __init__(self, trainFcn: str = "trainlm") -> None:  # noqa: N803
        super().__init__(trainFcn, TRAIN_DEFAULTS[trainFcn])


class DivideParam(_Struct):
    """``net.divideParam``: ratios, or indices for ``divideind`` (0-based).

    Examples
    --------
    >>> from bpforecast.matlab import DivideParam
    >>> DivideParam("divideblock").trainRatio
    0.7
    >>> DivideParam("divideind").to_dict()
    {'trainInd': [], 'valInd': [], 'testInd': []}
    """

    _kind = "divideParam"

    def __init__(self, divideFcn: str = "dividerand") -> None:  # noqa: N803
        super().__init__(divideFcn, DIVIDE_DEFAULTS[divideFcn])


@dataclass
class Layer:
    """One entry of ``net.layers``: ``size``, ``transferFcn``, ``initFcn``.

    The output layer's size is set from the targets when the network is
    trained (it is 0 before, as for an unconfigured MATLAB network).

    Examples
    --------
    >>> from bpforecast.matlab import Layer
    >>> Layer(10)
    Layer(size=10, transferFcn='tansig', initFcn='initnw', name='Hidden')
    """

    size: int
    transferFcn: str = "tansig"  # noqa: N815
    initFcn: str = "initnw"  # noqa: N815
    name: str = "Hidden"


@dataclass
class Port:
    """One entry of ``net.inputs`` or ``net.outputs``: its ``processFcns``.

    Examples
    --------
    >>> from bpforecast.matlab import Port
    >>> Port().processFcns
    ['removeconstantrows', 'mapminmax']
    """

    processFcns: list[str] = field(  # noqa: N815
        default_factory=lambda: ["removeconstantrows", "mapminmax"]
    )
    name: str = "Input"
    feedbackMode: str = "none"  # noqa: N815


# ----------------------------------------------------------------------------
# the network object
# ----------------------------------------------------------------------------


def _check_fcn(value: str, known, what: str) -> str:
    if value not in known:
        names = ", ".join(repr(k) for k in known if k)
        raise ValueError(
            f"{what} {value!r} is not supported; bpforecast.matlab supports {names}."
        )
    return value


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


class Network:
    """A MATLAB-style shallow network: settable fields plus a fitted BPRegressor.

    Build one with :func:`feedforwardnet`, :func:`fitnet`, :func:`newff`,
    :func:`narnet`, :func:`narxnet` or :func:`timedelaynet`; train it with
    :func:`train`; run it with :func:`sim` or by calling it (``net(x)``).

    Attributes
    ----------
    name : str
    trainFcn : str
        'trainlm', 'traingdx', 'traingd', 'traingdm' or 'traingda'. Setting
        it resets ``trainParam`` to the function's defaults.
    trainParam : TrainParam
    performFcn : str
        Only 'mse'.
    divideFcn : str
        'dividerand', 'divideblock', 'divideint', 'divideind', 'dividetrain'
        or '' (no division). Setting it resets ``divideParam``.
    divideParam : DivideParam
    divideMode : str
        'sample' (static networks), 'time' (time-series networks) or 'none'
        (no division, whatever ``divideFcn`` says).
    layers : list of Layer
        Hidden layers then the output layer (MATLAB's ``net.layers{i}`` is
        ``net.layers[i - 1]``).
    inputs : list of Port
        One per network input: static networks and ``timedelaynet`` have
        one; open-loop ``narnet`` one (the fed-back series), open-loop
        ``narxnet`` two (the external input, then the fed-back series);
        closed loops lose the fed-back one.
    outputs : list
        One entry per layer, as MATLAB's ``net.outputs``: None for hidden
        layers, a :class:`Port` for the output layer (``net.outputs[-1]``).
    inputDelays, feedbackDelays : tuple of int
        Tap delays of the external input and of the fed-back output (empty
        when the network has none). Not MATLAB fields (MATLAB keeps them in
        ``net.inputWeights{i,j}.delays``); named after the arguments of
        ``narxnet``.
    removedDelays : int
        How many delays :func:`removedelay` took away (0 normally): the
        network's output at time ``t`` predicts the target at ``t +
        removedDelays``.
    regressor : BPRegressor or None
        The fitted estimator that does all the work (None before training).

    Examples
    --------
    >>> from bpforecast import matlab as nn
    >>> net = nn.fitnet([10, 5], "traingdx")
    >>> net.numLayers, [layer.size for layer in net.layers]
    (3, [10, 5, 0])
    >>> net.trainParam.lr = 0.05
    >>> net.divideFcn = "divideblock"
    >>> net.divideParam.valRatio = 0.2
    >>> net.regressor_params()["division_ratios"]
    (0.7, 0.2, 0.15)
    """

    def __init__(
        self,
        name: str,
        hidden_sizes: Sequence[int] = (10,),
        transfer_fcns: Sequence[str] | None = None,
        trainFcn: str = "trainlm",  # noqa: N803
        divideFcn: str = "dividerand",  # noqa: N803
        input_delays: Sequence[int] = (),
        feedback_delays: Sequence[int] = (),
        feedback_mode: str = "none",
        has_external_input: bool = True,
        input_process: Sequence[str] | None = None,
        output_process: Sequence[str] | None = None,
    ) -> None:
        sizes = list(hidden_sizes)
        fcns = list(transfer_fcns) if transfer_fcns is not None else None
        if fcns is None:
            fcns = ["tansig"] * len(sizes) + ["purelin"]
        if len(fcns) != len(sizes) + 1:
            raise ValueError(
                f"give one transfer function per layer ({len(sizes) + 1}: the hidden "
                f"layers and the output layer), got {fcns!r}."
            )
        self.name = name
        self.layers = [Layer(s, f) for s, f in zip(sizes, fcns[:-1], strict=True)]
        self.layers.append(Layer(0, fcns[-1], name="Output"))
        self.trainFcn = trainFcn
        self.performFcn = "mse"
        self.divideFcn = divideFcn
        self.inputDelays = tuple(input_delays)
        self.feedbackDelays = tuple(feedback_delays)
        self.divideMode = (
            "time" if (self.inputDelays or self.feedbackDelays) else "sample"
        )
        self.removedDelays = 0
        in_fcns = list(input_process or ["removeconstantrows", "mapminmax"])
        out_fcns = list(output_process or ["removeconstantrows", "mapminmax"])
        self._x_port = Port(list(in_fcns), "Input") if has_external_input else None
        self._y_port = Port(list(in_fcns), "Feedback") if self.feedbackDelays else None
        self._output = Port(out_fcns, "Output", feedback_mode)
        self.regressor: BPRegressor | None = None
        self._fit_info: dict[str, Any] | None = None
        self._last_tr: TrainingRecord | None = None

    # ------------------------------------------------------------- fields
    @property
    def trainFcn(self) -> str:  # noqa: N802
        """Training function; setting it resets ``trainParam``."""
        return self._trainFcn

    @trainFcn.setter
    def trainFcn(self, value: str) -> None:  # noqa: N802
        self._trainFcn = _check_fcn(value, TRAIN_DEFAULTS, "trainFcn")
        self.trainParam = TrainParam(value)

    @property
    def divideFcn(self) -> str:  # noqa: N802
        """Division function; setting it resets ``divideParam``."""
        return self._divideFcn

    @divideFcn.setter
    def divideFcn(self, value: str) -> None:  # noqa: N802
        self._divideFcn = _check_fcn(value, DIVIDE_DEFAULTS, "divideFcn")
        self.divideParam = DivideParam(value)

    @property
    def inputs(self) -> list[Port]:
        """The network's inputs (see the class docstring)."""
        ports = [self._x_port] if self._x_port is not None else []
        if self._y_port is not None and self.feedbackMode == "open":
            ports.append(self._y_port)
        return ports

    @property
    def outputs(self) -> list[Port | None]:
        """None per hidden layer, then the output port."""
        return [None] * (len(self.layers) - 1) + [self._output]

    @property
    def feedbackMode(self) -> str:  # noqa: N802
        """'none', 'open' or 'closed' (MATLAB's ``net.outputs{end}.feedbackMode``)."""
        return self._output.feedbackMode

    @property
    def numLayers(self) -> int:  # noqa: N802
        """Number of layers (hidden + output)."""
        return len(self.layers)

    @property
    def numInputs(self) -> int:  # noqa: N802
        """Number of network inputs."""
        return len(self.inputs)

    @property
    def numInputDelays(self) -> int:  # noqa: N802
        """Time steps of input history ``Xi`` holds."""
        if self.feedbackMode == "closed":
            return max(self.inputDelays, default=0) if self._x_port else 0
        return max((*self.inputDelays, *self.feedbackDelays), default=0)

    @property
    def numLayerDelays(self) -> int:  # noqa: N802
        """Time steps of fed-back output ``Ai`` holds (closed loops only)."""
        if self.feedbackMode == "closed":
            return max(self.feedbackDelays)
        return 0

    @property
    def IW(self) -> dict:  # noqa: N802
        """Input weights, ``{(1, 1): W}`` with ``W`` of shape (layer 1, inputs).

        MATLAB's 1-based keys; the weights act on the scaled inputs. For time
        series networks the columns are the regressor's features in
        :func:`bpforecast.forecasting.windowing.make_windows` order (fed-back series'
        delays first, then each external input's delays).
        """
        if self.regressor is None:
            return {}
        return {(1, 1): np.array(self.regressor.coefs_[0]).T}

    @property
    def LW(self) -> dict:  # noqa: N802
        """Layer weights, ``{(i + 1, i): W}`` (MATLAB's 1-based keys)."""
        if self.regressor is None:
            return {}
        coefs = self.regressor.coefs_
        return {(i + 1, i): np.array(coefs[i]).T for i in range(1, len(coefs))}

    @property
    def b(self) -> dict:
        """Biases, ``{i: b}`` (MATLAB's 1-based keys)."""
        if self.regressor is None:
            return {}
        return {i + 1: np.array(v) for i, v in enumerate(self.regressor.intercepts_)}

    # ---------------------------------------------------------- mapping
    def _is_dynamic(self) -> bool:
        return bool(self.inputDelays or self.feedbackDelays)

    def _scaling(self) -> str | None:
        ports = [p for p in (self._x_port, self._y_port, self._output) if p is not None]
        found = set()
        for port in ports:
            steps = [f for f in port.processFcns if f not in _PROCESS_IGNORED]
            if len(steps) > 1 or (steps and steps[0] not in ("mapminmax", "mapstd")):
                raise ValueError(
                    f"processFcns {port.processFcns!r} not supported: use "
                    "'removeconstantrows' plus at most one of 'mapminmax', 'mapstd'."
                )
            found.add(steps[0] if steps else None)
        if len(found) > 1:
            raise ValueError(
                "inputs and outputs must have the same processing (mapminmax, "
                f"mapstd or neither); got {sorted(map(str, found))}."
            )
        return found.pop()

    def regressor_params(self) -> dict[str, Any]:
        """The :class:`~bpforecast.BPRegressor` parameters this network trains with.

        ``trainParam`` names map to the regressor's (``time`` to
        ``max_time``, infinity to None); ``divideFcn`` to ``division``
        (``dividerand`` 'random', ``divideblock`` 'block', ``divideint``
        'interleaved', ``dividetrain`` / '' / ``divideMode='none'`` None;
        ``divideind`` is arranged by :func:`train`); ``processFcns`` to
        ``scaling``; hidden ``transferFcn`` to ``activation``, the output
        layer's to ``output_activation``; ``initFcn`` 'initnw' to
        'nguyen-widrow'.

        Returns
        -------
        dict

        Examples
        --------
        >>> from bpforecast import matlab as nn
        >>> p = nn.feedforwardnet(7).regressor_params()
        >>> p["solver"], p["hidden_layer_sizes"], p["min_grad"], p["scaling"]
        ('trainlm', (7,), 1e-07, 'mapminmax')
        """
        _check_fcn(self.performFcn, ("mse",), "performFcn")
        hidden = self.layers[:-1]
        fcns = {layer.transferFcn for layer in hidden}
        if len(fcns) > 1:
            raise ValueError(
                "all hidden layers must have the same transferFcn (BPRegressor has "
                f"one hidden activation); got {[la.transferFcn for la in hidden]}."
            )
        inits = {layer.initFcn for layer in self.layers}
        if len(inits) > 1 or not inits <= set(_INIT):
            raise ValueError(
                f"initFcn must be 'initnw' (or 'glorot') for every layer, got {inits}."
            )
        p = self.trainParam.to_dict()
        params: dict[str, Any] = {
            "hidden_layer_sizes": tuple(int(la.size) for la in hidden),
            "output_activation": self.layers[-1].transferFcn,
            "solver": self.trainFcn,
            "epochs": _as_int(p["epochs"], "trainParam.epochs"),
            "goal": float(p["goal"]),
            "min_grad": float(p["min_grad"]),
            "max_fail": _as_int(p["max_fail"], "trainParam.max_fail"),
            "max_time": None if math.isinf(p["time"]) else float(p["time"]),
            "scaling": self._scaling(),
            "init": _INIT[inits.pop()],
        }
        if fcns:
            params["activation"] = fcns.pop()
        for name in ("lr", "mc", "lr_inc", "lr_dec", "max_perf_inc"):
            if name in p:
                params[name] = float(p[name])
        for name in ("mu", "mu_dec", "mu_inc", "mu_max"):
            if name in p:
                params[name] = float(p[name])
        fcn = self.divideFcn
        if self.divideMode == "none" or fcn in ("", "dividetrain"):
            params["division"] = None
        elif fcn == "divideind":
            params["division"] = "block"  # train() reorders the samples
        else:
            d = self.divideParam
            params["division"] = _DIVISION[fcn]
            params["division_ratios"] = (
                float(d.trainRatio),
                float(d.valRatio),
                float(d.testRatio),
            )
        return params

    # ------------------------------------------------------------ calling
    def __call__(self, X: Any, Xi: Any = None, Ai: Any = None) -> np.ndarray:
        """``net(X, Xi, Ai)``: the same as :func:`sim`."""
        return sim(self, X, Xi, Ai)

    def __repr__(self) -> str:
        layers = " -> ".join(f"[{la.size} {la.transferFcn}]" for la in self.layers)
        delays = ""
        if self.inputDelays:
            delays += f", inputDelays={list(self.inputDelays)}"
        if self.feedbackDelays:
            delays += f", feedbackDelays={list(self.feedbackDelays)}"
            delays += f" ({self.feedbackMode} loop)"
        if self.removedDelays:
            delays += f", removedDelays={self.removedDelays}"
        state = "trained" if self.regressor is not None else "not trained"
        return (
            f"<Network {self.name!r}: {layers}{delays}; trainFcn={self.trainFcn!r}, "
            f"divideFcn={self.divideFcn!r}, {state}>"
        )


def _as_int(value: Any, name: str) -> int:
    if isinstance(value, bool) or float(value) != int(value):
        raise ValueError(f"{name} must be a whole number, got {value!r}.")
    return int(value)


# ----------------------------------------------------------------------------
# constructors
# ----------------------------------------------------------------------------


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


# ----------------------------------------------------------------------------
# array helpers (MATLAB orientation)
# ----------------------------------------------------------------------------


def _rows(a: Any, name: str, allow_nan: bool = False) -> np.ndarray:
    """2-D float array (variables x samples); a 1-D array is one row."""
    try:
        arr = np.array(a, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numeric: {exc}") from exc
    if arr.ndim == 0:
        arr = arr.reshape(1, 1)
    elif arr.ndim == 1:
        arr = arr[None, :]
    elif arr.ndim != 2:
        raise ValueError(f"{name} must be 1-D or 2-D, got {arr.ndim} dimensions.")
    if not allow_nan and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values.")
    return arr


def _empty(a: Any) -> bool:
    return a is None or np.size(np.asarray(a, dtype=object)) == 0


def _steps_or_rows(X: Any, n_rows: int, name: str) -> np.ndarray:
    """Closed-loop inputs: an int number of steps (no external input) or rows."""
    if isinstance(X, numbers.Integral) and not isinstance(X, bool):
        if n_rows:
            raise ValueError(
                f"{name}: this network has an external input; give its future "
                f"values as a ({n_rows}, steps) array, not a number of steps."
            )
        if X < 0:
            raise ValueError(f"{name}: the number of steps must be >= 0, got {X}.")
        return np.zeros((0, int(X)))
    arr = np.asarray(X, dtype=np.float64)
    if n_rows == 0 and arr.ndim == 2 and arr.shape[0] == 0:
        return arr
    arr = _rows(arr, name)
    if arr.shape[0] != n_rows:
        raise ValueError(f"{name} must have {n_rows} row(s), got {arr.shape[0]}.")
    return arr


# ----------------------------------------------------------------------------
# training
# ----------------------------------------------------------------------------


@dataclass
class TrainingRecord:
    """MATLAB's training record ``tr``.

    Per-epoch arrays (index 0 is the state before the first update):
    ``epoch, perf, vperf, tperf, gradient, val_fail`` and ``lr`` (gradient
    descent) or ``mu`` (``trainlm``; the other one is None). ``vperf`` /
    ``tperf`` are NaN without a validation / test set. Errors are mean
    squared errors of the scaled targets. Indices are 0-based sample
    (column) numbers.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast import BPRegressor
    >>> from bpforecast.matlab import training_record
    >>> X = np.linspace(0, 1, 40).reshape(-1, 1)
    >>> model = BPRegressor((3,), solver="trainlm", random_state=0).fit(X, X.ravel())
    >>> tr = training_record(model)
    >>> tr.trainFcn, tr.lr is None, len(tr.mu) == tr.num_epochs + 1
    ('trainlm', True, True)
    """

    trainFcn: str  # noqa: N815
    trainParam: dict  # noqa: N815
    performFcn: str  # noqa: N815
    divideFcn: str  # noqa: N815
    divideMode: str  # noqa: N815
    divideParam: dict  # noqa: N815
    trainInd: np.ndarray  # noqa: N815
    valInd: np.ndarray  # noqa: N815
    testInd: np.ndarray  # noqa: N815
    stop: str
    num_epochs: int
    best_epoch: int
    goal: float
    states: tuple[str, ...]
    epoch: np.ndarray
    perf: np.ndarray
    vperf: np.ndarray
    tperf: np.ndarray
    gradient: np.ndarray
    val_fail: np.ndarray
    lr: np.ndarray | None
    mu: np.ndarray | None
    best_perf: float
    best_vperf: float
    best_tperf: float
    stop_reason: str

    def __repr__(self) -> str:
        return (
            f"<TrainingRecord {self.trainFcn}: {self.num_epochs} epochs, best epoch "
            f"{self.best_epoch}, stop={self.stop!r}>"
        )


def training_record(
    model: BPRegressor | Network,
    *,
    train_ind: np.ndarray | None = None,
    val_ind: np.ndarray | None = None,
    test_ind: np.ndarray | None = None,
    divideFcn: str | None = None,  # noqa: N803
    divideParam: dict | None = None,  # noqa: N803
    trainParam: dict | None = None,  # noqa: N803
    divideMode: str = "sample",  # noqa: N803
) -> TrainingRecord:
    """MATLAB's ``tr`` for a fitted :class:`~bpforecast.BPRegressor` (or Network).

    Everything comes from the estimator's ``history_``, ``best_epoch_``,
    ``stop_reason_`` and division indices; the keyword arguments override
    the indices and settings (:func:`train` uses them when it rearranged
    the samples).

    Parameters
    ----------
    model : BPRegressor or Network
        Fitted.

    Returns
    -------
    TrainingRecord

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast import BPRegressor
    >>> from bpforecast.matlab import training_record
    >>> X = np.linspace(0, 1, 40).reshape(-1, 1)
    >>> tr = training_record(BPRegressor((2,), epochs=5, random_state=0).fit(X, X))
    >>> tr.stop, tr.epoch.tolist(), tr.divideFcn
    ('Maximum epoch reached.', [0, 1, 2, 3, 4, 5], 'divideblock')
    """
    if isinstance(model, Network):
        if model.regressor is None:
            raise ValueError("the network is not trained yet.")
        model = model.regressor
    if not hasattr(model, "history_"):
        raise ValueError(f"{type(model).__name__} is not fitted (no history_).")
    h = model.history_
    best = int(model.best_epoch_)
    rate = h["lr"].to_numpy(dtype=float)
    lm = model.solver == "trainlm"
    if divideFcn is None:
        divideFcn = (
            "dividetrain" if model.division is None else _DIVIDE_NAME[model.division]
        )
    if divideParam is None:
        ratios = (
            model.division_ratios if model.division is not None else (1.0, 0.0, 0.0)
        )
        divideParam = dict(
            zip(("trainRatio", "valRatio", "testRatio"), ratios, strict=True)
        )
    if trainParam is None:
        keys = TRAIN_DEFAULTS.get(model.solver, {})
        trainParam = {k: getattr(model, k) for k in keys if hasattr(model, k)}
        trainParam["time"] = math.inf if model.max_time is None else model.max_time
    perf = h["perf"].to_numpy(dtype=float)
    vperf = h["vperf"].to_numpy(dtype=float)
    tperf = h["tperf"].to_numpy(dtype=float)
    return TrainingRecord(
        trainFcn=model.solver,
        trainParam=dict(trainParam),
        performFcn="mse",
        divideFcn=divideFcn,
        divideMode=divideMode,
        divideParam=dict(divideParam),
        trainInd=np.asarray(model.train_indices_ if train_ind is None else train_ind),
        valInd=np.asarray(model.val_indices_ if val_ind is None else val_ind),
        testInd=np.asarray(model.test_indices_ if test_ind is None else test_ind),
        stop=STOP_MESSAGES[model.stop_reason_],
        num_epochs=int(model.n_epochs_),
        best_epoch=best,
        goal=float(model.goal),
        states=(
            "epoch",
            "perf",
            "vperf",
            "tperf",
            "mu" if lm else "lr",
            "gradient",
            "val_fail",
        ),
        epoch=np.arange(len(h)),
        perf=perf,
        vperf=vperf,
        tperf=tperf,
        gradient=h["gradient"].to_numpy(dtype=float),
        val_fail=h["val_fail"].to_numpy(dtype=int),
        lr=None if lm else rate,
        mu=rate if lm else None,
        best_perf=float(perf[best]),
        best_vperf=float(vperf[best]),
        best_tperf=float(tperf[best]),
        stop_reason=model.stop_reason_,
    )


def _same_architecture(reg: BPRegressor, params: dict, n_in: int, n_out: int) -> bool:
    """Whether ``reg`` can warm-start with ``params`` on data of these sizes."""
    if getattr(reg, "n_features_in_", None) != n_in:
        return False
    if getattr(reg, "n_outputs_", None) != n_out:
        return False
    current = reg.get_params()
    for key in ("activation", "output_activation", "scaling"):
        if key in params and current[key] != params[key]:
            return False
    return tuple(current["hidden_layer_sizes"]) == params["hidden_layer_sizes"]


def train(
    net: Network,
    X: ArrayLike,
    T: ArrayLike,
    Xi: ArrayLike | None = None,
    Ai: ArrayLike | None = None,
    *,
    random_state: Any = None,
) -> tuple[Network, TrainingRecord]:
    """MATLAB's ``[net, tr] = train(net, X, T, Xi, Ai)``.

    Builds a :class:`~bpforecast.BPRegressor` from the network's fields
    (:meth:`Network.regressor_params`) and fits it on ``X.T, T.T`` (for
    time-series networks, on the lag table
    :func:`bpforecast.forecasting.windowing.make_windows` builds from
    ``[Xi, X]``). As in MATLAB, training an already trained network continues
    from its weights and keeps its scaling (call :func:`init` first to start
    afresh), and NaN targets are "don't care": samples with a NaN target are left out.

    Parameters
    ----------
    net : Network
    X : array-like of shape (n_inputs, Q)
        Inputs, variables in rows (a 1-D array is one row). For time series
        networks, ``Xs`` from :func:`preparets`.
    T : array-like of shape (n_outputs, Q)
        Targets (``Ts`` from :func:`preparets`).
    Xi, Ai : array-like, optional
        Initial input and layer delay states from :func:`preparets`
        (``Ai`` is not used by open-loop networks).
    random_state : int, RandomState or None
        Seeds the division and the initial weights; None uses the generator
        set by :func:`rng` (fresh randomness if it was never called).

    Returns
    -------
    net : Network
        A trained copy (``net.regressor`` holds the fitted estimator).
    tr : TrainingRecord

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast import matlab as nn
    >>> x = np.linspace(-2, 2, 100)[None, :]
    >>> net = nn.fitnet(6)
    >>> net.divideFcn = "divideind"
    >>> net.divideParam.trainInd = list(range(0, 100, 2))
    >>> net.divideParam.valInd = list(range(1, 100, 2))
    >>> net, tr = nn.train(net, x, np.tanh(x), random_state=0)
    >>> tr.trainInd[:3].tolist(), tr.valInd[:3].tolist(), tr.testInd.size
    ([0, 2, 4], [1, 3, 5], 0)
    """
    if not isinstance(net, Network):
        raise TypeError(f"train needs a Network, got {type(net).__name__}.")
    net = copy.deepcopy(net)
    if net.feedbackMode == "closed":
        raise NotImplementedError(
            "training a closed-loop network is not supported: train the open-loop "
            "network, then closeloop() it (MATLAB's recommended workflow)."
        )
    t = _rows(T, "T", allow_nan=True)
    if net._is_dynamic():
        full = _open_loop_signals(net, X, Xi, "X")
        features = _open_loop_features(net, full)
        n_x = full.shape[0] - (1 if net.feedbackDelays else 0)
    else:
        features = _rows(X, "X").T
        n_x = features.shape[1]
    if features.shape[0] != t.shape[1]:
        raise ValueError(
            f"X gives {features.shape[0]} samples and T has {t.shape[1]} columns. "
            "MATLAB orientation: variables in rows, samples in columns (transpose "
            "arrays that hold samples in rows)."
        )
    if np.any(np.isinf(t)):
        raise ValueError("T contains infinite values.")
    keep = np.flatnonzero(np.all(np.isfinite(t), axis=0))
    if keep.size == 0:
        raise ValueError("T has no sample without NaN.")

    params = net.regressor_params()
    order = np.arange(keep.size)
    if net.divideFcn == "divideind" and params["division"] is not None:
        order, params["division_ratios"] = _divideind_order(net, t.shape[1], keep)
    Xfit = features[keep][order]
    tfit = t[:, keep][:, order]
    yfit = tfit[0] if t.shape[0] == 1 else tfit.T

    rs = _random_state(random_state)
    old = net.regressor
    if old is not None and _same_architecture(old, params, Xfit.shape[1], t.shape[0]):
        reg = copy.deepcopy(old)
        reg.set_params(**params, warm_start=True, random_state=rs)
    else:
        reg = BPRegressor(**params, random_state=rs)
    reg.fit(Xfit, yfit)

    original = keep[order]
    ratios = params.get("division_ratios", (1.0, 0.0, 0.0))
    divide_param = net.divideParam.to_dict()
    if net.divideFcn != "divideind" and params["division"] is not None:
        divide_param = dict(
            zip(("trainRatio", "valRatio", "testRatio"), ratios, strict=True)
        )
    tr = training_record(
        reg,
        train_ind=np.sort(original[reg.train_indices_]),
        val_ind=np.sort(original[reg.val_indices_]),
        test_ind=np.sort(original[reg.test_indices_]),
        divideFcn=net.divideFcn,
        divideParam=divide_param,
        trainParam=net.trainParam.to_dict(),
        divideMode=net.divideMode,
    )
    net.regressor = reg
    net.layers[-1].size = t.shape[0]
    net._fit_info = {
        "n_x": n_x,
        "lags": _original_lags(net),
        "n_outputs": t.shape[0],
    }
    net._last_tr = tr
    return net, tr


def _divideind_order(net: Network, n: int, keep: np.ndarray):
    """Sample order putting divideind's train, val, test sets in contiguous blocks."""
    d = net.divideParam
    parts = _divideind(n, d.trainInd, d.valInd, d.testInd)
    position = np.full(n, -1)
    position[keep] = np.arange(keep.size)
    blocks = [position[p][position[p] >= 0] for p in parts]  # NaN targets dropped
    if blocks[0].size == 0:
        raise ValueError("divideParam.trainInd selects no sample with a target.")
    counts = tuple(float(b.size) for b in blocks)
    return np.concatenate(blocks).astype(int), counts


def init(net: Network) -> Network:
    """MATLAB's ``net = init(net)``: forget the weights (next train starts afresh).

    Examples
    --------
    >>> from bpforecast import matlab as nn
    >>> nn.init(nn.fitnet(3)).regressor is None
    True
    """
    net = copy.deepcopy(net)
    net.regressor = None
    net._fit_info = None
    net._last_tr = None
    return net


# ----------------------------------------------------------------------------
# time series: signals, features, preparets
# ----------------------------------------------------------------------------


def _original_lags(net: Network) -> tuple[tuple[int, ...], tuple[int, ...]]:
    s = net.removedDelays
    return (
        tuple(d + s for d in net.feedbackDelays),
        tuple(d + s for d in net.inputDelays),
    )


def _open_loop_signals(net: Network, X: Any, Xi: Any, name: str) -> np.ndarray:
    """``[Xi, X]`` (rows: external inputs, then the fed-back series)."""
    x = _rows(X, name)
    depth = net.numInputDelays
    if depth == 0:
        return x
    if _empty(Xi):
        raise ValueError(
            f"this network needs Xi, the {depth} initial delay state(s) of each "
            "input: get Xs, Xi, Ai, Ts from preparets()."
        )
    xi = _rows(Xi, "Xi")
    if xi.shape != (x.shape[0], depth):
        raise ValueError(
            f"Xi must have shape ({x.shape[0]}, {depth}) (rows as in {name}, "
            f"numInputDelays columns), got {xi.shape}."
        )
    return np.hstack([xi, x])


def _open_loop_features(net: Network, full: np.ndarray) -> np.ndarray:
    """One row of regressor inputs per output time step, via make_windows.

    Output step ``t`` (``t >= numInputDelays`` in ``full``) uses the fed-back
    series at ``t - d`` and the external inputs at ``t - e`` for the
    network's delays ``d``, ``e``. The table is built with the original
    (pre-removedelay) lags on a padded copy of the signals: one value in
    front (room for a placeholder lag when there is no feedback) and
    ``removedDelays`` values behind (they only ever land in make_windows'
    targets, which are not used).
    """
    fb_lags, ex_lags = _original_lags(net)
    has_fb = bool(fb_lags)
    n_x = full.shape[0] - (1 if has_fb else 0)
    if ex_lags and n_x < 1:
        raise ValueError("this network has an external input: X needs its row(s).")
    if not ex_lags and n_x:
        raise ValueError(
            f"this network has no external input, but X has {full.shape[0]} rows "
            "(only the fed-back series is expected)."
        )
    s = net.removedDelays
    depth = net.numInputDelays
    length = full.shape[1]
    if length <= depth:
        raise ValueError(
            f"no time step to compute: {length} <= numInputDelays={depth}."
        )
    pad = 1
    y = full[-1] if has_fb else np.zeros(length)
    y_pad = np.concatenate([np.zeros(pad), y, np.zeros(s)])
    exog = None
    if n_x:
        x = full[:n_x]
        exog = np.hstack([np.zeros((n_x, pad)), x, np.zeros((n_x, s))]).T
    table, _ = make_windows(
        y_pad,
        list(fb_lags) if has_fb else [1],
        exog=exog,
        exog_lags=list(ex_lags) if n_x else None,
    )
    wanted = np.arange(depth, length) + s + pad
    values = table.loc[wanted].to_numpy()
    return values if has_fb else values[:, 1:]


def preparets(
    net: Network,
    Xnf: ArrayLike | None = None,  # noqa: N803
    Tnf: ArrayLike | None = None,  # noqa: N803
    Tf: ArrayLike | None = None,  # noqa: N803
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """MATLAB's ``[Xs, Xi, Ai, Ts] = preparets(net, Xnf, Tnf, Tf)``.

    Shifts the series so that inputs and targets line up and returns the
    initial delay states. Call it as in MATLAB:

    * ``narnet``: ``preparets(net, None, None, T)`` (MATLAB ``{}, {}, T``);
    * ``narxnet``: ``preparets(net, X, None, T)``;
    * ``timedelaynet`` and static networks: ``preparets(net, X, T)``.

    Series are arrays with time along the columns: ``T`` a 1-D array (a cell
    array of scalars in MATLAB) or a ``(1, N)`` row, ``X`` ``(n_x, N)``
    (a 1-D array is one input). Only a single fed-back series is supported.

    Returns
    -------
    Xs : ndarray of shape (n_rows, N - D)
        Open loop: external input rows then the fed-back series, from time
        ``D = net.numInputDelays`` on. Closed loop: the external input rows
        only (``(0, N - D)`` for narnet: just the number of steps).
    Xi : ndarray of shape (n_rows, D)
        Initial input delay states: the first ``D`` time steps.
    Ai : ndarray
        Open loop: empty ``(numLayers, 0)``. Closed loop: ``(1, Dy)``, the
        fed-back series' last ``Dy = numLayerDelays`` values before the first
        output step (MATLAB's layer states are a ``numLayers x Dy`` cell
        array whose last row holds them; only that row is kept here).
    Ts : ndarray of shape (n_outputs, N - D)
        Targets. After :func:`removedelay` (n) the targets run ``n`` steps
        ahead and the last ``n`` are NaN (there is nothing to compare the
        early predictions with); :func:`train` ignores NaN targets.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast import matlab as nn
    >>> Xs, Xi, Ai, Ts = nn.preparets(nn.narnet([1, 2]), None, None, np.arange(6.0))
    >>> Xs.tolist(), Xi.tolist(), Ts.tolist()
    ([[2.0, 3.0, 4.0, 5.0]], [[0.0, 1.0]], [[2.0, 3.0, 4.0, 5.0]])
    >>> Ai.shape
    (2, 0)
    """
    has_fb = bool(net.feedbackDelays)
    if has_fb:
        if _empty(Tf):
            raise ValueError(
                f"{net.name}: give the fed-back series as the 4th argument: "
                "preparets(net, X_or_None, None, T)."
            )
        if not _empty(Tnf):
            raise ValueError(
                "non-feedback targets (Tnf) with feedback are not supported."
            )
        y = _rows(Tf, "T")
        if y.shape[0] != 1:
            raise ValueError(
                f"only one fed-back series is supported; T has {y.shape[0]} rows."
            )
        targets = y
    else:
        targets = None if _empty(Tnf) else _rows(Tnf, "T")
        y = None
    has_x = net._x_port is not None
    if has_x:
        if _empty(Xnf):
            raise ValueError(f"{net.name} has an external input: give X.")
        x = _rows(Xnf, "X")
    else:
        if not _empty(Xnf):
            raise ValueError(f"{net.name} has no external input; pass None for X.")
        x = np.zeros((0, y.shape[1]))
    n = x.shape[1]
    if targets is not None and targets.shape[1] != n:
        raise ValueError(
            "X and T must have the same number of time steps (columns): "
            f"{n} and {targets.shape[1]}."
        )
    s = net.removedDelays
    if net.feedbackMode == "closed":
        dx = max(net.inputDelays) if has_x else 0
        dy = max(net.feedbackDelays)
        start = max(dx, dy)
        if n <= start:
            raise ValueError(f"the series needs more than {start} time steps.")
        Xi = x[:, start - dx : start]
        Ai = y[:, start - dy : start]
        return x[:, start:], Xi, Ai, y[:, start:]
    signals = np.vstack([x, y]) if has_fb else x
    depth = net.numInputDelays
    if n <= depth:
        raise ValueError(
            f"the series needs more than numInputDelays={depth} time steps, got {n}."
        )
    Xi, Xs = signals[:, :depth], signals[:, depth:]
    Ai = np.zeros((net.numLayers, 0))
    if targets is None:
        Ts = np.zeros((0, n - depth))
    else:
        Ts = np.full((targets.shape[0], n - depth), np.nan)
        ahead = targets[:, depth + s :]
        Ts[:, : ahead.shape[1]] = ahead
    return Xs, Xi, Ai, Ts


# ----------------------------------------------------------------------------
# simulation
# ----------------------------------------------------------------------------


def _predict(net: Network, features: np.ndarray) -> np.ndarray:
    out = np.asarray(net.regressor.predict(features), dtype=np.float64)
    return out.reshape(features.shape[0], -1).T


def _check_trained(net: Network) -> None:
    if net.regressor is None or net._fit_info is None:
        raise ValueError(f"{net.name} is not trained: call train() first.")
    if _original_lags(net) != net._fit_info["lags"]:
        raise ValueError(
            "the network's delays changed since it was trained; train it again."
        )


def sim(
    net: Network,
    X: ArrayLike | int,
    Xi: ArrayLike | None = None,
    Ai: ArrayLike | None = None,
    *,
    return_states: bool = False,
):
    """MATLAB's ``Y = sim(net, X, Xi, Ai)`` (also ``net(X, Xi, Ai)``).

    * Static networks: ``X`` of shape ``(n_inputs, Q)``, outputs
      ``(n_outputs, Q)``.
    * Open-loop time-series networks: ``X`` and ``Xi`` as from
      :func:`preparets`; one-step-ahead outputs, one per column of ``X``.
    * Closed-loop networks: the network's own predictions are fed back.
      ``Ai`` holds the last known values of the series (``(1, Dy)``),
      ``Xi`` the external input's delay states; ``X`` holds the external
      input's future values, or for ``narnet`` just the number of steps (an
      int, or a ``(0, steps)`` array: MATLAB's ``cell(0, steps)``).

    Parameters
    ----------
    net : Network
        Trained.
    X, Xi, Ai : array-like
    return_states : bool, default=False
        Also return the final states ``Xf, Af`` (MATLAB's ``[Y, Xf, Af] =
        net(X, Xi, Ai)``), ready for :func:`closeloop` / :func:`openloop` or
        for carrying on with the next call.

    Returns
    -------
    Y : ndarray of shape (n_outputs, Q)
    Xf, Af : ndarray
        Only with ``return_states=True``.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast import matlab as nn
    >>> x = np.linspace(0, 1, 30)
    >>> net, _ = nn.train(nn.feedforwardnet(2), x, 3 * x, random_state=0)
    >>> nn.sim(net, [[0.0, 0.5]]).round(2)
    array([[0. , 1.5]])
    """
    _check_trained(net)
    if net.feedbackMode == "closed":
        Y, Xf, Af = _closed_loop(net, X, Xi, Ai)
    elif net._is_dynamic():
        full = _open_loop_signals(net, X, Xi, "X")
        expected = net._fit_info["n_x"] + (1 if net.feedbackDelays else 0)
        if full.shape[0] != expected:
            raise ValueError(f"X must have {expected} row(s), got {full.shape[0]}.")
        Y = _predict(net, _open_loop_features(net, full))
        depth = net.numInputDelays
        Xf = full[:, full.shape[1] - depth :]
        Af = np.zeros((net.numLayers, 0))
    else:
        x = _rows(X, "X")
        if x.shape[0] != net._fit_info["n_x"]:
            raise ValueError(
                f"X must have {net._fit_info['n_x']} row(s) (one per input variable; "
                f"samples in columns), got shape {x.shape}."
            )
        Y = _predict(net, x.T)
        Xf = np.zeros((x.shape[0], 0))
        Af = np.zeros((net.numLayers, 0))
    return (Y, Xf, Af) if return_states else Y


def _closed_loop(net: Network, X: Any, Xi: Any, Ai: Any):
    """Feed the predictions back: one last_window row and one predict per step."""
    if net.removedDelays:
        raise NotImplementedError("closed-loop networks with removed delays.")
    n_x = net._fit_info["n_x"]
    fb, ex = net.feedbackDelays, net.inputDelays
    dx = max(ex) if n_x else 0
    dy = max(fb)
    future = _steps_or_rows(X, n_x, "X")
    if _empty(Ai):
        raise ValueError(
            f"a closed-loop network needs Ai, the last {dy} known value(s) of the "
            "series: from preparets() or closeloop(net, Xf, Af)."
        )
    ai = _rows(Ai, "Ai")[-1]
    if ai.size != dy:
        raise ValueError(
            f"Ai must hold numLayerDelays={dy} values per row, got {ai.size}."
        )
    xi = np.zeros((n_x, 0)) if _empty(Xi) else _rows(Xi, "Xi")
    if xi.shape != (n_x, dx):
        raise ValueError(f"Xi must have shape ({n_x}, {dx}), got {xi.shape}.")
    depth = max(dx, dy, 1)
    y_buf = np.concatenate([np.zeros(depth - dy), ai])
    x_buf = np.hstack([np.zeros((n_x, depth - dx)), xi]).T  # (depth, n_x)
    steps = future.shape[1]
    out = np.empty((net._fit_info["n_outputs"], steps))
    for k in range(steps):
        x_now = future[:, k]
        kwargs: dict[str, Any] = {}
        if n_x:
            kwargs = {"exog": x_buf, "exog_lags": list(ex)}
            if 0 in ex:
                kwargs["future_exog"] = x_now
        row = last_window(y_buf, list(fb), **kwargs).to_numpy()
        out[:, k] = _predict(net, row)[:, 0]
        y_buf = np.append(y_buf[1:], out[0, k])
        if n_x:
            x_buf = np.vstack([x_buf[1:], x_now[None, :]])
    Xf = x_buf[x_buf.shape[0] - dx :].T if n_x else np.zeros((0, 0))
    Af = y_buf[y_buf.size - dy :][None, :]
    return out, Xf, Af


# ----------------------------------------------------------------------------
# closeloop, openloop, removedelay
# ----------------------------------------------------------------------------


def closeloop(net: Network, Xf: ArrayLike | None = None, Af: ArrayLike | None = None):
    """MATLAB's ``closeloop``: ``netc = closeloop(net)``, or with states.

    ``[netc, Xic, Aic] = closeloop(net, Xf, Af)`` in MATLAB is
    ``netc, Xic, Aic = closeloop(net, Xf, Af)`` here.

    The closed-loop network feeds its own predictions back instead of the
    true series, for multi-step forecasting. Given the open-loop final
    states (``sim(..., return_states=True)``) it also returns the
    closed-loop initial states, so that ``sim(netc, steps, Xic, Aic)``
    forecasts from the end of the data. A network without feedback is
    returned unchanged.

    Returns
    -------
    netc : Network
        Returned alone when ``Xf`` and ``Af`` are not given.
    Xic, Aic : ndarray
        ``Xic``: the external input's last ``max(inputDelays)`` values
        ``(n_x, Dx)``; ``Aic``: the series' last ``max(feedbackDelays)``
        values ``(1, Dy)``.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast import matlab as nn
    >>> net = nn.narnet([1, 2], 3)
    >>> netc = nn.closeloop(net)
    >>> netc.name, netc.feedbackMode, netc.numInputs, net.feedbackMode
    ('NAR Neural Network - Closed Loop', 'closed', 0, 'open')
    """
    netc = copy.deepcopy(net)
    with_states = Xf is not None or Af is not None
    if not net.feedbackDelays or net.feedbackMode == "closed":
        if not with_states:
            return netc
        return netc, _state_or_empty(Xf), _state_or_empty(Af)
    if net.removedDelays:
        raise NotImplementedError(
            "closeloop of a network with removed delays is not supported; "
            "close the loop of the original network."
        )
    netc._output.feedbackMode = "closed"
    netc.name = f"{net.name} - Closed Loop"
    if not with_states:
        return netc
    depth = net.numInputDelays
    xf = _rows(Xf, "Xf")
    n_x = xf.shape[0] - 1
    if xf.shape[1] != depth:
        raise ValueError(
            f"Xf must have {depth} columns (numInputDelays), got {xf.shape}."
        )
    dx = max(net.inputDelays) if n_x else 0
    dy = max(net.feedbackDelays)
    Xic = xf[:n_x, depth - dx :] if n_x else np.zeros((0, 0))
    Aic = xf[n_x:, depth - dy :]
    return netc, Xic, Aic


def _state_or_empty(a: Any) -> np.ndarray:
    return np.zeros((0, 0)) if _empty(a) else _rows(a, "state")


def openloop(net: Network, Xf: ArrayLike | None = None, Af: ArrayLike | None = None):
    """MATLAB's ``openloop``: ``neto = openloop(netc)``, or with states.

    ``neto, Xio, Aio = openloop(netc, Xf, Af)`` as MATLAB's
    ``[neto, Xio, Aio] = openloop(netc, Xf, Af)``.

    The inverse of :func:`closeloop`. With closed-loop final states it
    returns open-loop initial states ``Xio`` (external inputs then the
    series, ``numInputDelays`` columns; a history one input has no value
    for is filled with 0, never read) and an empty ``Aio``.

    Examples
    --------
    >>> from bpforecast import matlab as nn
    >>> net = nn.openloop(nn.closeloop(nn.narxnet([1], [1, 2], 3)))
    >>> net.name, net.feedbackMode, net.numInputs
    ('NARX Neural Network', 'open', 2)
    """
    neto = copy.deepcopy(net)
    with_states = Xf is not None or Af is not None
    if net.feedbackMode != "closed":
        if not with_states:
            return neto
        return neto, _state_or_empty(Xf), _state_or_empty(Af)
    neto._output.feedbackMode = "open"
    suffix = " - Closed Loop"
    if neto.name.endswith(suffix):
        neto.name = neto.name[: -len(suffix)]
    if not with_states:
        return neto
    has_x = net._x_port is not None
    dx = max(net.inputDelays) if has_x else 0
    dy = max(net.feedbackDelays)
    depth = max(dx, dy)
    af = _rows(Af, "Af")[-1:]
    if has_x and dx:
        xf = _rows(Xf, "Xf")
        n_x = xf.shape[0]
    elif has_x:  # inputDelays == [0]: the closed loop keeps no input history
        n_x = (net._fit_info or {}).get("n_x") or (
            np.shape(Xf)[0] if np.ndim(Xf) == 2 else 1
        )
        xf = np.zeros((n_x, 0))
    else:
        n_x, xf = 0, np.zeros((0, 0))
    if af.shape[1] != dy:
        raise ValueError(f"Af must hold {dy} values, got {af.shape[1]}.")
    x_part = np.zeros((n_x, depth))
    if dx:
        x_part[:, depth - dx :] = xf
    y_part = np.zeros((1, depth))
    y_part[:, depth - dy :] = af
    return neto, np.vstack([x_part, y_part]), np.zeros((neto.numLayers, 0))


def removedelay(net: Network, n: int = 1) -> Network:
    """MATLAB's ``net = removedelay(net, n)``: predict ``n`` steps early.

    Subtracts ``n`` from every input and feedback delay. The network
    computes the same function from the same weights; its output at time
    ``t`` is now the prediction of the target at ``t + n``, available as
    soon as the inputs up to ``t`` are known. :func:`preparets` shifts the
    targets accordingly (the last ``n`` are NaN). Open-loop networks only,
    and ``n <= min(inputDelays)``, ``n <= min(feedbackDelays)``.

    Examples
    --------
    >>> from bpforecast import matlab as nn
    >>> net = nn.removedelay(nn.narnet([1, 2]))
    >>> net.feedbackDelays, net.removedDelays
    ((0, 1), 1)
    """
    if not isinstance(n, numbers.Integral) or isinstance(n, bool):
        raise TypeError(f"n must be an int, got {n!r}.")
    if not net._is_dynamic():
        raise ValueError(f"{net.name} has no delays to remove.")
    if net.feedbackMode == "closed":
        raise NotImplementedError("removedelay of a closed-loop network.")
    low = min((*net.inputDelays, *net.feedbackDelays))
    if n > low:
        raise ValueError(f"cannot remove {n} delay(s): the smallest delay is {low}.")
    if net.removedDelays + n < 0:
        raise ValueError(
            f"cannot add {-n} delay(s): adddelay only undoes removedelay here "
            f"(removedDelays={net.removedDelays})."
        )
    out = copy.deepcopy(net)
    out.inputDelays = tuple(d - n for d in net.inputDelays)
    out.feedbackDelays = tuple(d - n for d in net.feedbackDelays)
    out.removedDelays = net.removedDelays + n
    return out


def adddelay(net: Network, n: int = 1) -> Network:
    """MATLAB's ``adddelay(net, n)``; here only to undo :func:`removedelay`.

    Examples
    --------
    >>> from bpforecast import matlab as nn
    >>> nn.adddelay(nn.removedelay(nn.narnet([1, 2]))).feedbackDelays
    (1, 2)
    """
    if not isinstance(n, numbers.Integral) or isinstance(n, bool):
        raise TypeError(f"n must be an int, got {n!r}.")
    return removedelay(net, -n)


# ----------------------------------------------------------------------------
# performance helpers
# ----------------------------------------------------------------------------


def gsubtract(a: ArrayLike, b: ArrayLike) -> np.ndarray:
    """MATLAB's ``gsubtract(t, y)``: ``t - y`` as float arrays (errors).

    Examples
    --------
    >>> from bpforecast.matlab import gsubtract
    >>> gsubtract([[1.0, 2.0]], [[0.5, 2.5]])
    array([[ 0.5, -0.5]])
    """
    return np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64)


def perform(net: Network | None, t: ArrayLike, y: ArrayLike) -> float:
    """MATLAB's ``perform(net, t, y)``: mean squared error, NaN targets ignored.

    In the units of ``t`` (MATLAB's default normalisation 'none').

    Examples
    --------
    >>> from bpforecast.matlab import perform
    >>> perform(None, [[1.0, 2.0, float("nan")]], [[0.0, 2.0, 5.0]])
    0.5
    """
    e = gsubtract(t, y)
    if net is not None:
        _check_fcn(net.performFcn, ("mse",), "performFcn")
    return float(np.nanmean(e**2))


# ----------------------------------------------------------------------------
# processing functions
# ----------------------------------------------------------------------------


@dataclass
class ProcessSettings:
    """Settings from :func:`mapminmax`, :func:`mapstd` and :func:`removeconstantrows`.

    ``center`` and ``gain`` are the affine map ``y = (x - center) * gain`` of
    :mod:`bpforecast.estimators.preprocessing`; ``fields`` holds MATLAB's names
    (``xmin``, ``xmax``, ``gain``, ``xoffset``, ``keep``, ``remove`` ...),
    also readable as attributes (``ps.xmin``).

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.matlab import mapminmax
    >>> _, ps = mapminmax(np.array([[0.0, 4.0]]))
    >>> ps.name, ps.xmin.tolist(), ps.xmax.tolist()
    ('mapminmax', [0.0], [4.0])
    """

    name: str
    xrows: int
    yrows: int
    center: np.ndarray | None = None
    gain: np.ndarray | None = None
    fields: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name == "fields":
            raise AttributeError(name)
        try:
            return self.__dict__["fields"][name]
        except KeyError:
            raise AttributeError(
                f"{self.__dict__.get('name')} settings have no field {name!r}."
            ) from None


def _process_call(args: tuple, name: str):
    """Split ``f(X, ...)``, ``f('apply', X, PS)`` and ``f('reverse', Y, PS)``."""
    if args and isinstance(args[0], str):
        mode = args[0]
        if mode not in ("apply", "reverse"):
            raise ValueError(
                f"{name}: unknown mode {mode!r}; use {name}(X), "
                f"{name}('apply', X, PS) or {name}('reverse', Y, PS)."
            )
        if len(args) != 3 or not isinstance(args[2], ProcessSettings):
            raise TypeError(f"{name}({mode!r}, X, PS) needs data and settings.")
        if args[2].name != name:
            raise ValueError(f"settings are for {args[2].name}, not {name}.")
        return mode, _rows(args[1], "X"), args[2]
    if not args:
        raise TypeError(f"{name} needs data.")
    return "create", _rows(args[0], "X"), args[1:]


def _check_xrows(x: np.ndarray, ps: ProcessSettings, mode: str) -> None:
    rows = ps.xrows if mode == "apply" else ps.yrows
    if x.shape[0] != rows:
        raise ValueError(f"{ps.name}: expected {rows} rows, got {x.shape[0]}.")


def _affine(x: np.ndarray, ps: ProcessSettings, mode: str) -> np.ndarray:
    _check_xrows(x, ps, mode)
    if mode == "apply":
        return apply_scaling(x.T, ps.center, ps.gain).T
    return reverse_scaling(x.T, ps.center, ps.gain).T


def mapminmax(*args: Any):
    """MATLAB's ``mapminmax``: map each row's [min, max] to [ymin, ymax].

    Forms: ``Y, PS = mapminmax(X, ymin=-1, ymax=1)``,
    ``Y = mapminmax('apply', X, PS)``, ``X = mapminmax('reverse', Y, PS)``.
    Rows are variables. The map is :mod:`bpforecast.estimators.preprocessing`'s
    ``mapminmax_params`` (identical for ``[-1, 1]``); a constant row passes
    through unchanged, as in MATLAB (the estimators map it to 0 instead;
    both leave it carrying no information).

    Returns
    -------
    Y : ndarray
    PS : ProcessSettings
        With MATLAB's fields ``xmin, xmax, xrange, ymin, ymax, yrange,
        gain, xoffset, no_change``.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.matlab import mapminmax
    >>> X = np.array([[0.0, 5.0, 10.0], [1.0, 1.0, 1.0]])
    >>> Y, PS = mapminmax(X)
    >>> Y.tolist()
    [[-1.0, 0.0, 1.0], [1.0, 1.0, 1.0]]
    >>> mapminmax("reverse", Y, PS).tolist() == X.tolist()
    True
    >>> mapminmax("apply", [[2.5], [1.0]], PS).tolist()
    [[-0.5], [1.0]]
    """
    mode, x, rest = _process_call(args, "mapminmax")
    if mode != "create":
        return _affine(x, rest, mode)
    ymin, ymax = (list(rest) + [-1.0, 1.0][len(rest) :])[:2]
    ymin, ymax = float(ymin), float(ymax)
    if not ymax > ymin:
        raise ValueError(f"mapminmax: need ymax > ymin, got {ymin}, {ymax}.")
    center, gain, constant = mapminmax_params(x.T)
    half = (ymax - ymin) / 2.0
    gain = gain * half
    center = center - ((ymax + ymin) / 2.0) / gain
    center = np.where(constant, 0.0, center)
    gain = np.where(constant, 1.0, gain)
    xmin, xmax = x.min(axis=1), x.max(axis=1)
    fields = {
        "xrows": x.shape[0],
        "yrows": x.shape[0],
        "xmin": xmin,
        "xmax": xmax,
        "xrange": xmax - xmin,
        "ymin": ymin,
        "ymax": ymax,
        "yrange": ymax - ymin,
        "gain": gain,
        "xoffset": np.where(constant, ymin, xmin),
        "no_change": bool(np.all(gain == 1) and np.all(center == 0)),
    }
    ps = ProcessSettings("mapminmax", x.shape[0], x.shape[0], center, gain, fields)
    return _affine(x, ps, "apply"), ps


def mapstd(*args: Any):
    """MATLAB's ``mapstd``: each row to mean ``ymean`` (0), std ``ystd`` (1).

    Forms as :func:`mapminmax`: ``Y, PS = mapstd(X, ymean=0, ystd=1)``,
    ``mapstd('apply', X, PS)``, ``mapstd('reverse', Y, PS)``. The standard
    deviation is the N-1 one (as MATLAB and
    :func:`bpforecast.estimators.preprocessing.mapstd_params`); constant rows pass
    through unchanged.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.matlab import mapstd
    >>> Y, PS = mapstd(np.array([[1.0, 2.0, 3.0]]))
    >>> Y.tolist(), PS.xmean.tolist(), PS.xstd.tolist()
    ([[-1.0, 0.0, 1.0]], [2.0], [1.0])
    """
    mode, x, rest = _process_call(args, "mapstd")
    if mode != "create":
        return _affine(x, rest, mode)
    ymean, ystd = (list(rest) + [0.0, 1.0][len(rest) :])[:2]
    ymean, ystd = float(ymean), float(ystd)
    if not ystd > 0:
        raise ValueError(f"mapstd: ystd must be positive, got {ystd}.")
    center, gain, constant = mapstd_params(x.T)
    xmean = center.copy()
    xstd = np.where(constant, 0.0, 1.0 / gain)
    gain = gain * ystd
    center = center - ymean / gain
    center = np.where(constant, 0.0, center)
    gain = np.where(constant, 1.0, gain)
    fields = {
        "xrows": x.shape[0],
        "yrows": x.shape[0],
        "xmean": xmean,
        "xstd": xstd,
        "ymean": ymean,
        "ystd": ystd,
        "gain": gain,
        "xoffset": np.where(constant, ymean, xmean),
        "no_change": bool(np.all(gain == 1) and np.all(center == 0)),
    }
    ps = ProcessSettings("mapstd", x.shape[0], x.shape[0], center, gain, fields)
    return _affine(x, ps, "apply"), ps


def removeconstantrows(*args: Any):
    """MATLAB's ``removeconstantrows``: drop rows with ``max - min <= max_range``.

    Forms: ``Y, PS = removeconstantrows(X, max_range=0)``,
    ``removeconstantrows('apply', X, PS)`` and
    ``removeconstantrows('reverse', Y, PS)`` (puts the constant rows back,
    with their values).

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.matlab import removeconstantrows
    >>> X = np.array([[1.0, 2.0], [7.0, 7.0], [3.0, 4.0]])
    >>> Y, PS = removeconstantrows(X)
    >>> Y.tolist(), PS.keep.tolist(), PS.remove.tolist(), PS.value.tolist()
    ([[1.0, 2.0], [3.0, 4.0]], [0, 2], [1], [7.0])
    >>> removeconstantrows("reverse", Y, PS).tolist() == X.tolist()
    True
    """
    mode, x, rest = _process_call(args, "removeconstantrows")
    if mode == "apply":
        _check_xrows(x, rest, mode)
        return x[rest.keep]
    if mode == "reverse":
        ps = rest
        _check_xrows(x, ps, mode)
        out = np.empty((ps.xrows, x.shape[1]))
        out[ps.keep] = x
        out[ps.remove] = ps.value[:, None]
        return out
    max_range = float(rest[0]) if rest else 0.0
    span = x.max(axis=1) - x.min(axis=1) if x.shape[1] else np.zeros(x.shape[0])
    remove = np.flatnonzero(span <= max_range)
    keep = np.flatnonzero(span > max_range)
    value = x[remove, 0] if x.shape[1] else np.zeros(remove.size)
    fields = {
        "max_range": max_range,
        "keep": keep,
        "remove": remove,
        "value": value,
        "xrows": x.shape[0],
        "yrows": keep.size,
        "no_change": remove.size == 0,
    }
    ps = ProcessSettings("removeconstantrows", x.shape[0], keep.size, fields=fields)
    return x[keep], ps


# ----------------------------------------------------------------------------
# division functions (MATLAB forms, 0-based indices)
# ----------------------------------------------------------------------------


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
