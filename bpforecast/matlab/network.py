"""The MATLAB-style network object, :class:`Network`, and its mapping to BPRegressor."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .names import (
    _DIVISION,
    _INIT,
    _PROCESS_IGNORED,
    DIVIDE_DEFAULTS,
    TRAIN_DEFAULTS,
    _check_fcn,
)
from .structs import DivideParam, Layer, Port, TrainParam

if TYPE_CHECKING:
    from ..estimators.regressor import BPRegressor
    from .record import TrainingRecord


class Network:
    """A MATLAB-style shallow network: settable fields plus a fitted BPRegressor.

    Build one with :func:`feedforwardnet`, :func:`fitnet`, :func:`newff`,
    :func:`narnet`, :func:`narxnet` or :func:`timedelaynet`; train it with
    :func:`train`; run it with :func:`sim` or by calling it (``net(x)``).

    Attributes
    ----------
    name : str
    trainFcn : str
        'trainlm', 'trainbr', 'trainscg', 'trainrp', 'traingdx', 'traingd',
        'traingdm' or 'traingda'. Setting
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
        for name in ("mu", "mu_dec", "mu_inc", "mu_max", "sigma", "delt_inc"):
            if name in p:
                params[name] = float(p[name])
        for name in ("delt_dec", "delta0", "deltamax"):
            if name in p:
                params[name] = float(p[name])
        if "lambda" in p:  # a Python keyword: BPRegressor's lambda0
            params["lambda0"] = float(p["lambda"])
        fcn = self.divideFcn
        if self.divideMode == "none" or fcn in ("", "dividetrain"):
            params["division"] = None
        elif fcn == "divideind":
            params["division"] = "block"  # train() reorders the samples
        else:
            d = self.divideParam
            train, val = float(d.trainRatio), float(d.valRatio)
            if self.trainFcn == "trainbr" and params.get("max_fail") == 0:
                # trainbr without validation stops trains on the validation
                # samples too, as the toolbox's trainbr does; the test set
                # stays out.
                train, val = train + val, 0.0
            params["division"] = _DIVISION[fcn]
            params["division_ratios"] = (train, val, float(d.testRatio))
        return params

    # ------------------------------------------------------------ calling
    def __call__(self, X: Any, Xi: Any = None, Ai: Any = None) -> np.ndarray:
        """``net(X, Xi, Ai)``: the same as :func:`~bpforecast.matlab.sim`."""
        from .simulation import sim  # simulation needs Network: import on use

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
