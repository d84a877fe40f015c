"""MATLAB's training and diagnostic plots, for bpforecast's models (needs matplotlib).

Each function returns a :class:`matplotlib.figure.Figure` with MATLAB's
titles and axis labels:

==================  ============================================================
``plotperform``     training / validation / test mse per epoch, best epoch marked
``plottrainstate``  gradient, mu (trainlm) or lr, and validation checks per epoch
``plotregression``  outputs against targets with the fit line and R
``ploterrhist``     histogram of the errors (20 bins)
``ploterrcorr``     autocorrelation of the errors, with confidence limits
``plotinerrcorr``   cross-correlation of an input with the errors
``plotresponse``    targets, outputs and errors over time
``plot_forecast``   the end of a series, its forecast and prediction interval
==================  ============================================================

The training plots take a training record: a fitted
:class:`~bpforecast.BPRegressor` (its ``history_`` and division indices),
MATLAB's ``tr`` (from :func:`bpforecast.matlab.train` or
:func:`bpforecast.matlab.training_record`, a view of ``history_``) or a
trained :class:`bpforecast.matlab.Network`. They read attributes and import
neither the estimators nor the MATLAB layer. The data plots take targets, outputs or
errors (any shape; MATLAB's ``(1, Q)`` rows and 1-D arrays alike) and, with
``tr=``, split the samples into training, validation and test sets as
MATLAB's training window does. Install matplotlib with
``pip install 'bpforecast[plot]'``; :func:`bpforecast.plotting._pyplot` (in
``_backend``) is the package's only matplotlib import guard.

Modules: ``training`` (plotperform, plottrainstate), ``regression``
(plotregression, ploterrhist), ``correlation`` (ploterrcorr,
plotinerrcorr), ``response`` (plotresponse), ``forecast`` (plot_forecast),
``_backend`` (the matplotlib guard), ``_sources`` (how the plots read a
training record), ``_common`` (colours, shapes).

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import numpy as np
>>> from bpforecast import BPRegressor
>>> from bpforecast.plotting import plotperform
>>> X = np.linspace(-1, 1, 80).reshape(-1, 1)
>>> model = BPRegressor((4,), solver="trainlm", random_state=0).fit(X, X.ravel() ** 2)
>>> fig = plotperform(model)
>>> fig.axes[0].get_title().startswith("Best Validation Performance is")
True
"""

from __future__ import annotations

from ._backend import _pyplot as _pyplot  # the guard, for estimators.report
from ._common import COLORS
from .correlation import ploterrcorr, plotinerrcorr
from .forecast import plot_forecast
from .regression import ploterrhist, plotregression, regression_line
from .response import plotresponse
from .training import plotperform, plottrainstate

__all__ = [
    "COLORS",
    "plot_forecast",
    "ploterrcorr",
    "ploterrhist",
    "plotinerrcorr",
    "plotperform",
    "plotregression",
    "plotresponse",
    "plottrainstate",
    "regression_line",
]
