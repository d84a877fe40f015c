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

Modules, one MATLAB topic each (everything is importable from here):

================  =============================================================
``names``         MATLAB's names and defaults, ``rng``
``structs``       ``trainParam``, ``divideParam``, ``Layer``, ``Port``
``network``       the :class:`Network` object
``constructors``  ``feedforwardnet``, ``fitnet``, ``newff``, ``narnet`` ...
``record``        the training record ``tr``, a view of ``history_``
``training``      ``train``, ``init``
``timeseries``    ``preparets`` and the lag table of a network
``simulation``    ``sim`` (open and closed loop)
``loops``         ``closeloop``, ``openloop``, ``removedelay``, ``adddelay``
``performance``   ``gsubtract``, ``perform``
``processing``    ``mapminmax``, ``mapstd``, ``removeconstantrows``
``division``      ``dividerand``, ``divideblock``, ``divideint``, ``divideind``
================  =============================================================

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

from .constructors import feedforwardnet, fitnet, narnet, narxnet, newff, timedelaynet
from .division import divideblock, divideind, divideint, dividerand
from .loops import adddelay, closeloop, openloop, removedelay
from .names import (
    DIVIDE_DEFAULTS,
    STOP_MESSAGES,
    TRAIN_DEFAULTS,
    rng,
    setdemorandstream,
)
from .network import Network
from .performance import gsubtract, perform
from .processing import ProcessSettings, mapminmax, mapstd, removeconstantrows
from .record import TrainingRecord, training_record
from .simulation import sim
from .structs import DivideParam, Layer, Port, TrainParam
from .timeseries import preparets
from .training import init, train

__all__ = [
    "DIVIDE_DEFAULTS",
    "STOP_MESSAGES",
    "TRAIN_DEFAULTS",
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
