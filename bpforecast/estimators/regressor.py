"""BPRegressor: MATLAB's traingdx back-propagation network as a scikit-learn regressor.

The algorithm follows MATLAB (``feedforwardnet`` + ``train`` with traingdx);
the API follows scikit-learn. Where the two differ:

* MATLAB stores samples in columns; here samples are rows and ``coefs_[i]``
  has shape ``(n_in, n_out)`` as in scikit-learn's ``MLPRegressor``.
* MATLAB's default input processing is ``mapminmax``; the default here is
  ``mapstd`` (the design asks for mean/std standardisation; both are offered).
  As in MATLAB, the scaling settings come from all samples given to ``fit``,
  before the data are divided.
* MATLAB's default division is random; here it is ``'block'`` (MATLAB's
  ``divideblock``), the right choice for time series.
* A trial step with a NaN or infinite error is rejected by every solver
  (MATLAB would carry NaN weights on); a warning says how often it happened.

Examples
--------
>>> import numpy as np
>>> from bpforecast import BPRegressor
>>> rng = np.random.default_rng(0)
>>> X = rng.uniform(-1, 1, size=(200, 2))
>>> y = np.sin(2 * X[:, 0]) + X[:, 1] ** 2
>>> model = BPRegressor(hidden_layer_sizes=(8,), random_state=0).fit(X, y)
>>> model.predict(X[:3]).shape
(3,)
>>> model.score(X, y) > 0.9
True
"""

from __future__ import annotations

import numbers
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from array_api_compat import array_namespace, device
from sklearn.base import BaseEstimator, RegressorMixin, clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_random_state
from sklearn.utils.validation import (
    check_array,
    check_consistent_length,
    check_is_fitted,
    validate_data,
)

from .._sklearn_compat import Interval, StrOptions
from ..nn._array_api import check_array as check_xp_array
from ..nn._array_api import namespace_of, take_rows, to_numpy
from ..nn.activations import ACTIVATION_NAMES
from ..nn.bayesian import TrainBR
from ..nn.initialization import INIT_METHODS, initialize
from ..nn.levenberg_marquardt import TrainLM
from ..nn.network import Architecture, forward, pack, unpack
from ..nn.progress import TrainingProgress
from ..nn.solvers import (
    MATLAB_DEFAULTS,
    SOLVER_NAMES,
    SOLVERS,
    TrainRP,
    TrainSCG,
)
from ..nn.training import StopCriteria, train, train_stacked
from ..seeds import restart_seeds
from .division import divide
from .preprocessing import SCALINGS, apply_scaling, reverse_scaling

#: Largest ``n_samples * n_params`` for which ``restart_mode='auto'`` stacks
#: restarts on numpy (see ``BPRegressor._use_batched``).
BATCHED_MAX_WORK = 100_000


def _check_hidden_layer_sizes(hidden_layer_sizes) -> tuple[int, ...]:
    if isinstance(hidden_layer_sizes, numbers.Integral) and not isinstance(
        hidden_layer_sizes, bool
    ):
        sizes = (hidden_layer_sizes,)
    else:
        try:
            sizes = tuple(hidden_layer_sizes)
        except TypeError:
            raise TypeError(
                "hidden_layer_sizes must be an int or a sequence of ints, got "
                f"{hidden_layer_sizes!r}."
            ) from None
    for size in sizes:
        if not isinstance(size, numbers.Integral) or isinstance(size, bool) or size < 1:
            raise ValueError(
                "hidden_layer_sizes must contain positive integers, got "
                f"{hidden_layer_sizes!r}."
            )
    return tuple(int(s) for s in sizes)


def _check_division_ratios(ratios) -> tuple[float, float, float]:
    try:
        values = tuple(float(r) for r in ratios)
    except (TypeError, ValueError):
        raise TypeError(
            f"division_ratios must be three numbers, got {ratios!r}."
        ) from None
    if len(values) != 3 or any(not np.isfinite(v) or v < 0 for v in values):
        raise ValueError(
            "division_ratios must be three finite, non-negative numbers "
            f"(train, validation, test), got {ratios!r}."
        )
    if values[0] <= 0:
        raise ValueError(
            f"division_ratios must give training a positive share, got {ratios!r}."
        )
    return values


@dataclass
class _Prepared:
    """Validated, divided and scaled training data of one ``fit`` call."""

    xp: object
    arch: Architecture
    blocks: tuple  # (train, validation, test) blocks of scaled (X, Y)
    indices: tuple  # their sample indices
    rng: object
    y_ndim: int
    dtype: object
    device: object


class BPRegressor(RegressorMixin, BaseEstimator):
    """Back-propagation network trained by MATLAB's traingdx (scikit-learn API).

    A fully connected network (``tansig`` hidden layers, ``purelin`` output by
    default) trained full batch by gradient descent with momentum and an
    adaptive learning rate, exactly as MATLAB's ``traingdx``. Inputs and
    targets are standardised with the statistics of the training data; the
    same transform is applied to later inputs and inverted on predictions.
    Training stops early when the validation error (on a time-ordered block
    by default) has not improved for ``max_fail`` epochs, and the weights with
    the lowest validation error are kept.

    Parameters
    ----------
    hidden_layer_sizes : int or tuple of int, default=(10, 10)
        Neurons per hidden layer; ``()`` gives a linear model.
    activation : str, default='tansig'
        Hidden transfer function: ``tansig`` (``tanh``), ``logsig``
        (``logistic``, ``sigmoid``), ``purelin`` (``identity``, ``linear``),
        ``relu``, ``leaky_relu``, ``elu``, ``softplus``.
    output_activation : str, default='purelin'
        Output-layer transfer function (same choices).
    solver : {'traingdx', 'traingd', 'traingdm', 'traingda', 'trainlm', \
'trainbr', 'trainscg', 'trainrp'}, default='traingdx'
        Training function: the gradient-descent family
        (:mod:`bpforecast.nn.solvers`), Levenberg-Marquardt
        (:mod:`bpforecast.nn.levenberg_marquardt`), Bayesian regularisation
        (trainbr), scaled conjugate gradient (trainscg) or resilient
        back-propagation (trainrp); the last four train full batch only. The
        history's ``lr`` column holds the rule's state: lr, ``mu`` (trainlm,
        trainbr), ``lambda`` (trainscg) or the mean step size (trainrp).
    lr : float, default=0.01
        Initial learning rate.
    lr_inc, lr_dec : float, default=1.05, 0.7
        Learning-rate increase/decrease factors (traingda, traingdx).
    max_perf_inc : float, default=1.04
        Largest accepted ratio of new to old error (traingda, traingdx).
    mc : float, default=0.9
        Momentum constant (traingdm, traingdx).
    epochs : int, default=1000
        Maximum number of epochs (update attempts). 0 only initialises.
    goal : float, default=0.0
        Stop when the training error (standardised units) reaches it.
    mu : float or None, default=None
        Initial damping of trainlm and trainbr; None gives MATLAB's default
        (0.001 for trainlm, 0.005 for trainbr).
    mu_dec, mu_inc, mu_max : float, default=0.1, 10, 1e10
        The damping's factors and limit (trainlm, trainbr; MATLAB's defaults).
    min_grad : float or None, default=None
        Stop when the gradient norm falls to it. None gives the solver's
        default: MATLAB's (1e-5 for the traingd family and trainrp, 1e-6
        for trainscg, 1e-7 for trainbr), except trainlm, which keeps
        bpforecast's 1e-5 (MATLAB's is 1e-7; pass it for exact parity).
    max_fail : int, default=6
        Stop after this many epochs without a new best validation error;
        0 turns validation stopping off (MATLAB's trainbr default; trainbr's
        ``division='auto'`` has no validation block anyway). With a
        validation block the weights of the lowest validation error are
        still the ones returned, whatever ``max_fail``.
    sigma, lambda0 : float, default=5e-5, 5e-7
        trainscg's finite-difference step and initial curvature scale
        (MATLAB's ``trainParam.sigma`` and ``trainParam.lambda``; ``lambda``
        is a Python keyword, and scikit-learn reads names ending in ``_`` as
        fitted attributes).
    delt_inc, delt_dec, delta0, deltamax : float, default=1.2, 0.5, 0.07, 50
        trainrp's step-size factors, initial and largest step size.
    max_time : float or None, default=None
        Stop after this many seconds.
    alpha : float, default=0.0
        L2 penalty: the error becomes ``mse + alpha * sum(W**2) / n_samples``.
    batch_size : int or None, default=None
        None trains full batch (MATLAB). An integer trains on shuffled
        mini-batches of that size, each step kept (1 = per-sample "online"
        updates); the accept/reject rule then applies to whole epochs: an
        epoch that raised the error by more than ``max_perf_inc`` is undone
        and lr falls (see :func:`bpforecast.nn.training.train`).
    init : {'nguyen-widrow', 'glorot'}, default='nguyen-widrow'
        Initial weights (MATLAB's initnw, or scikit-learn's Glorot uniform).
    scaling : {'mapstd', 'mapminmax'} or None, default='mapstd'
        Scaling of inputs and targets (see :mod:`bpforecast.estimators.preprocessing`).
    target_scaling : {'same', 'mapstd', 'mapminmax'} or None, default='same'
        Scaling of the targets alone: 'same' follows ``scaling``; None
        leaves them unscaled, so that the output layer works in the targets'
        own units (MATLAB: ``net.outputs{end}.processFcns = {}`` while the
        inputs keep theirs). A weight penalty (``alpha``, trainbr) then
        pulls predictions toward 0 rather than toward the targets' mean.
    division : {'auto', 'block', 'random', 'interleaved'} or None, \
default='auto'
        How ``fit`` splits its data into training, validation and test
        samples; None trains on everything with no early stopping. 'auto'
        is 'block', or None for trainbr (MATLAB's trainbr does not divide
        the data unless asked).
    division_ratios : tuple of 3 floats, default=(0.70, 0.15, 0.15)
        Training, validation and test shares.
    warm_start : bool, default=False
        Start from the current ``coefs_``/``intercepts_`` (and keep the
        fitted scaling) instead of new initial weights. The solver still
        starts afresh: lr from ``lr``, no momentum.
    n_init : int, default=1
        Networks trained from different initial weights; restart ``k`` uses
        seed ``random_state + k`` and equals a separate fit with that seed.
    restart_mode : {'auto', 'batched', 'sequential'}, default='auto'
        'batched' trains all restarts in one stacked computation with a
        leading restart axis, each with its own traingdx state and early
        stopping (:mod:`bpforecast.nn.stacked`; full-batch gradient descent,
        division not 'random'). 'auto' picks it on GPU/other namespaces, and
        on numpy for ``n_init >= 8`` small problems (training rows x
        parameters up to 100,000), the only ones where it measured faster per
        network than one fit after another (which use numpy's fast path).
    n_jobs : int or None, default=None
        Processes for sequential restarts (joblib; -1 uses every core). Each
        worker limits BLAS to one thread; results equal ``n_jobs=None``.
    restarts : {'best', 'mean', 'median'}, default='best'
        Keep the restart with the lowest validation error (training error
        without validation), or predict with the mean or median of all.
        ``coefs_``, ``history_`` and the other fitted attributes are always
        the best restart's; ``estimators_`` holds every restart and
        ``restart_scores_`` their errors.
    verbose : bool, default=False
        Show training progress (epoch, perf, validation checks, gradient, lr
        or mu) as a tqdm bar, or a line every 25 epochs without tqdm. Ctrl-C
        during ``fit`` stops training and keeps the best weights so far
        (``stop_reason_ == 'user'``), like MATLAB's Stop button.
    dtype : {'float64', 'float32'}, default='float64'
        Floating-point type of training and prediction.
    device : str or None, default=None
        None trains where the data live: numpy/pandas input on the CPU, CuPy
        or torch arrays on their device (fitted weights and predictions stay
        in that namespace). ``'cuda'`` moves numpy/pandas input to CuPy once
        (``pip install 'bpforecast[gpu]'``) and returns numpy predictions.
    random_state : int, RandomState instance or None, default=None
        Seeds the initial weights, random division and mini-batch order.

    Attributes
    ----------
    coefs_ : list of ndarray
        Weight matrices, ``coefs_[i]`` of shape ``(n_in, n_out)``.
    intercepts_ : list of ndarray
        Bias vectors, ``intercepts_[i]`` of shape ``(n_out,)``.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Defined when ``X`` has string column names (pandas).
    n_outputs_ : int
    history_ : pandas.DataFrame
        One row per epoch from epoch 0 (before any update): ``perf, vperf,
        tperf, lr, gradient, val_fail``. Errors are mse in scaled units.
    best_epoch_ : int
        Epoch of the returned weights.
    stop_reason_ : str
        ``epochs``, ``goal``, ``min_grad``, ``max_fail``, ``time``, ``user``,
        or ``mu_max`` (trainlm, trainbr).
    n_epochs_ : int
        Epochs run (update attempts).
    n_iter_ : int
        Same as ``n_epochs_`` (scikit-learn's name).
    x_center_, x_gain_, y_center_, y_gain_ : ndarray
        The fitted scaling: ``scaled = (value - center) * gain``.
    constant_features_, constant_targets_ : ndarray of bool
        Input and target columns that were constant in training. Constant
        inputs are scaled to 0 (no information, no NaN); constant targets
        are predicted as their constant, like MATLAB's removeconstantrows.
    train_indices_, val_indices_, test_indices_ : ndarray of int
        How ``fit`` divided its samples.
    architecture_ : bpforecast.nn.architecture.Architecture
        Layer sizes, transfer functions and ``alpha`` of the fitted network.

    See Also
    --------
    sklearn.neural_network.MLPRegressor

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast import BPRegressor
    >>> X = np.linspace(-1, 1, 100).reshape(-1, 1)
    >>> y = X.ravel() ** 2
    >>> model = BPRegressor(hidden_layer_sizes=(5,), random_state=1).fit(X, y)
    >>> model.stop_reason_ in {"epochs", "max_fail", "min_grad", "goal"}
    True
    >>> list(model.history_.columns)
    ['perf', 'vperf', 'tperf', 'lr', 'gradient', 'val_fail']
    """

    _parameter_constraints: dict = {
        "hidden_layer_sizes": [
            "array-like",
            Interval(numbers.Integral, 1, None, closed="left"),
        ],
        "activation": [StrOptions(set(ACTIVATION_NAMES))],
        "output_activation": [StrOptions(set(ACTIVATION_NAMES))],
        "solver": [StrOptions(set(SOLVER_NAMES))],
        "mu": [Interval(numbers.Real, 0, None, closed="neither"), None],
        "mu_dec": [Interval(numbers.Real, 0, 1, closed="neither")],
        "mu_inc": [Interval(numbers.Real, 1, None, closed="neither")],
        "mu_max": [Interval(numbers.Real, 0, None, closed="neither")],
        "lr": [Interval(numbers.Real, 0, None, closed="neither")],
        "lr_inc": [Interval(numbers.Real, 1, None, closed="left")],
        "lr_dec": [Interval(numbers.Real, 0, 1, closed="neither")],
        "max_perf_inc": [Interval(numbers.Real, 1, None, closed="left")],
        "mc": [Interval(numbers.Real, 0, 1, closed="both")],
        "epochs": [Interval(numbers.Integral, 0, None, closed="left")],
        "goal": [Interval(numbers.Real, 0, None, closed="left")],
        "min_grad": [Interval(numbers.Real, 0, None, closed="left"), None],
        "max_fail": [Interval(numbers.Integral, 0, None, closed="left")],
        "sigma": [Interval(numbers.Real, 0, None, closed="neither")],
        "lambda0": [Interval(numbers.Real, 0, None, closed="neither")],
        "delt_inc": [Interval(numbers.Real, 1, None, closed="left")],
        "delt_dec": [Interval(numbers.Real, 0, 1, closed="neither")],
        "delta0": [Interval(numbers.Real, 0, None, closed="neither")],
        "deltamax": [Interval(numbers.Real, 0, None, closed="neither")],
        "max_time": [Interval(numbers.Real, 0, None, closed="neither"), None],
        "alpha": [Interval(numbers.Real, 0, None, closed="left")],
        "batch_size": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "init": [StrOptions(set(INIT_METHODS))],
        "scaling": [StrOptions(set(SCALINGS)), None],
        "target_scaling": [StrOptions({"same", *SCALINGS}), None],
        "division": [StrOptions({"auto", "block", "random", "interleaved"}), None],
        "division_ratios": ["array-like"],
        "warm_start": ["boolean"],
        "n_init": [Interval(numbers.Integral, 1, None, closed="left")],
        "verbose": ["boolean"],
        "restarts": [StrOptions({"best", "mean", "median"})],
        "restart_mode": [StrOptions({"auto", "batched", "sequential"})],
        "n_jobs": [numbers.Integral, None],
        "dtype": [StrOptions({"float64", "float32"})],
        "device": [str, None],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        hidden_layer_sizes=(10, 10),
        activation="tansig",
        output_activation="purelin",
        solver="traingdx",
        lr=0.01,
        lr_inc=1.05,
        lr_dec=0.7,
        max_perf_inc=1.04,
        mc=0.9,
        mu=None,
        mu_dec=0.1,
        mu_inc=10.0,
        mu_max=1e10,
        epochs=1000,
        goal=0.0,
        min_grad=None,
        max_fail=6,
        max_time=None,
        alpha=0.0,
        batch_size=None,
        sigma=5.0e-5,
        lambda0=5.0e-7,
        delt_inc=1.2,
        delt_dec=0.5,
        delta0=0.07,
        deltamax=50.0,
        init="nguyen-widrow",
        scaling="mapstd",
        target_scaling="same",
        division="auto",
        division_ratios=(0.70, 0.15, 0.15),
        warm_start=False,
        n_init=1,
        restarts="best",
        restart_mode="auto",
        n_jobs=None,
        verbose=False,
        dtype="float64",
        device=None,
        random_state=None,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.output_activation = output_activation
        self.solver = solver
        self.lr = lr
        self.lr_inc = lr_inc
        self.lr_dec = lr_dec
        self.max_perf_inc = max_perf_inc
        self.mc = mc
        self.mu = mu
        self.mu_dec = mu_dec
        self.mu_inc = mu_inc
        self.mu_max = mu_max
        self.epochs = epochs
        self.goal = goal
        self.min_grad = min_grad
        self.max_fail = max_fail
        self.max_time = max_time
        self.alpha = alpha
        self.batch_size = batch_size
        self.sigma = sigma
        self.lambda0 = lambda0
        self.delt_inc = delt_inc
        self.delt_dec = delt_dec
        self.delta0 = delta0
        self.deltamax = deltamax
        self.init = init
        self.scaling = scaling
        self.target_scaling = target_scaling
        self.division = division
        self.division_ratios = division_ratios
        self.warm_start = warm_start
        self.n_init = n_init
        self.restarts = restarts
        self.restart_mode = restart_mode
        self.n_jobs = n_jobs
        self.verbose = verbose
        self.dtype = dtype
        self.device = device
        self.random_state = random_state

    # ------------------------------------------------------------------ fit
    def fit(self, X, y):
        """Train the network on ``X`` and ``y``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)

        Returns
        -------
        self : BPRegressor

        Examples
        --------
        >>> import numpy as np
        >>> from bpforecast import BPRegressor
        >>> X = np.arange(40.0).reshape(20, 2)
        >>> BPRegressor(epochs=5, random_state=0).fit(X, X[:, 0]).n_epochs_ <= 5
        True
        """
        self._validate_params()
        if self.n_init > 1:
            return self._fit_restarts(X, y)
        self.estimators_ = None
        warm = bool(self.warm_start) and hasattr(self, "coefs_")
        prep = self._prepare(X, y, warm)
        rng = prep.rng
        if warm:
            theta = self._warm_start_theta(prep)
        else:
            theta = self._initial_theta(prep, rng)
        progress = TrainingProgress(self.epochs, self.solver) if self.verbose else None
        result = train(
            theta,
            prep.arch,
            prep.blocks[0],
            self._make_solver(),
            self._criteria(),
            validation=prep.blocks[1],
            test=prep.blocks[2],
            batch_size=self.batch_size,
            random_state=rng,
            callback=progress,
        )
        if progress is not None:
            progress.close(result.stop_reason)
        return self._finish(result, prep)

    def _prepare(self, X, y, warm: bool) -> _Prepared:
        """Validate, divide and scale the data; fit the scaling unless warm."""
        hidden = _check_hidden_layer_sizes(self.hidden_layer_sizes)
        ratios = _check_division_ratios(self.division_ratios)
        xp, X, y = self._validate_fit_data(X, y, reset=not warm)
        Y = xp.reshape(y, (-1, 1)) if y.ndim == 1 else y
        rng = check_random_state(self.random_state)

        n_samples = X.shape[0]
        indices = divide(n_samples, self._division(), ratios, rng)
        if indices[0].size == 0:
            raise ValueError(
                f"n_samples={n_samples} leaves no training sample with "
                f"division={self._division()!r} and division_ratios={ratios}."
            )
        if not warm:
            self._fit_scaling(X, Y)
        Xs = apply_scaling(X, self.x_center_, self.x_gain_)
        Ys = apply_scaling(Y, self.y_center_, self.y_gain_)
        if not (bool(xp.all(xp.isfinite(Xs))) and bool(xp.all(xp.isfinite(Ys)))):
            raise ValueError(
                "X or y has values too large in magnitude for the fitted scaling; "
                "rescale the data first."
            )
        arch = Architecture.build(
            X.shape[1],
            hidden,
            Y.shape[1],
            self.activation,
            self.output_activation,
            self.alpha,
        )
        blocks = tuple(
            (take_rows(Xs, idx, xp), take_rows(Ys, idx, xp)) for idx in indices
        )
        return _Prepared(xp, arch, blocks, indices, rng, y.ndim, X.dtype, device(X))

    def _initial_theta(self, prep: _Prepared, rng):
        """Initial weights, drawn on the host and moved to the data once."""
        Xtrain = to_numpy(prep.blocks[0][0])
        ranges = np.column_stack([Xtrain.min(axis=0), Xtrain.max(axis=0)])
        coefs, intercepts = initialize(prep.arch, ranges, self.init, rng)
        theta = pack(coefs, intercepts)
        return prep.xp.asarray(theta, dtype=prep.dtype, device=prep.device)

    def _default(self, name: str):
        """``name``'s value, or the solver's default where it is None."""
        value = getattr(self, name)
        if value is not None:
            return value
        if name == "min_grad" and self.solver == "trainlm":
            # bpforecast's trainlm default predates the per-solver defaults
            # (MATLAB's is 1e-7); kept so that existing fits do not change.
            return 1e-5
        return MATLAB_DEFAULTS[self.solver].get(name, 0.001)

    def _division(self):
        """The division ``fit`` uses: 'auto' is 'block', or None for trainbr."""
        if self.division != "auto":
            return self.division
        return None if self.solver == "trainbr" else "block"

    def _criteria(self) -> StopCriteria:
        max_fail = self.max_fail
        return StopCriteria(
            epochs=self.epochs,
            goal=self.goal,
            min_grad=self._default("min_grad"),
            # max_fail = 0 turns validation stopping off (MATLAB's trainbr).
            max_fail=max_fail if max_fail > 0 else 2**62,
            max_time=self.max_time,
        )

    def _finish(self, result, prep: _Prepared):
        """Store a training result as the fitted state."""
        xp = prep.xp
        if not bool(xp.all(xp.isfinite(result.theta))):  # solvers reject such steps
            raise RuntimeError(
                "training produced non-finite weights; please report it."
            )
        if result.rejected_nonfinite:
            warnings.warn(
                f"{result.rejected_nonfinite} trial step(s) gave a NaN or infinite "
                "error and were rejected (the learning rate was reduced each time). "
                "Consider a smaller lr.",
                ConvergenceWarning,
                stacklevel=3,
            )
        layers = unpack(result.theta, prep.arch)
        # Own copies (not views into theta), in the caller's namespace.
        self.coefs_ = [xp.asarray(W, copy=True) for W, _ in layers]
        self.intercepts_ = [xp.asarray(b, copy=True) for _, b in layers]
        self.n_outputs_ = prep.arch.layer_sizes[-1]
        self._y_ndim = prep.y_ndim
        # The fixed columns, then any the rule records (trainbr: gamma, alpha,
        # beta, ssX).
        self.history_ = pd.DataFrame(
            {key: result.history[key] for key in result.history},
            index=pd.RangeIndex(len(result.history["perf"]), name="epoch"),
        )
        self.best_epoch_ = result.best_epoch
        self.stop_reason_ = result.stop_reason
        self.n_epochs_ = result.n_epochs
        self.n_iter_ = result.n_epochs
        self.train_indices_, self.val_indices_, self.test_indices_ = prep.indices
        return self

    def _restart_seeds(self) -> list:
        """Seed of each restart (:func:`bpforecast.seeds.restart_seeds`): restart
        ``k`` equals a separate fit with ``random_state=random_state + k``."""
        return restart_seeds(self.random_state, self.n_init)

    def _use_batched(self, X, y, n_networks: int | None = None) -> bool:
        """Whether the stacked restart computation applies and is the faster path.

        It needs full-batch gradient descent, no random division (each
        restart must see the division its own seed gives) and no progress
        display. On other namespaces (a GPU) it is always used. On numpy,
        sequential fits take the feature-major fast path
        (:mod:`bpforecast.nn.feature_major`) and the stacked computation does
        not; measured on a 2-core CPU (one BLAS thread, per network and
        epoch), batching was 1.25-1.6x faster for 16-64 restarts of tiny
        problems (300 rows, 131-261 parameters) and 1.1-1.5x slower from
        about 250,000 rows x parameters up (1,000 x 941: 730-770 against
        510-570 us). Hence: at least 8 restarts and rows x parameters up to
        :data:`BATCHED_MAX_WORK`.
        """
        if self.restart_mode == "sequential":
            return False
        eligible = (
            self.solver in (*SOLVERS, "trainscg", "trainrp")
            and self.batch_size is None
            and self._division() != "random"
            and not self.verbose
        )
        if self.restart_mode == "batched":
            if not eligible:
                raise ValueError(
                    "restart_mode='batched' needs a gradient-descent, trainscg or "
                    "trainrp solver, batch_size=None, division other than 'random' "
                    "and verbose=False."
                )
            return True
        native = namespace_of(X, y)[1] and (self.device in (None, "cpu"))
        if not native:
            return eligible
        n_outputs = 1 if y.ndim == 1 else y.shape[1]
        hidden = _check_hidden_layer_sizes(self.hidden_layer_sizes)
        sizes = (X.shape[1], *hidden, n_outputs)
        n_params = sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:], strict=True))
        small = X.shape[0] * n_params <= BATCHED_MAX_WORK
        n_networks = self.n_init if n_networks is None else n_networks
        return eligible and n_networks >= 8 and small

    def _fit_restarts(self, X, y):
        """Train ``n_init`` networks from different starts, stacked or in turn."""
        if self.warm_start and hasattr(self, "coefs_"):
            raise ValueError("warm_start=True cannot be combined with n_init > 1.")
        members = self._fit_members(X, y, self._restart_seeds())

        def score(m):
            h = m.history_.loc[m.best_epoch_]
            value = h["vperf"] if np.isfinite(h["vperf"]) else h["perf"]
            return float(value)

        best = min(members, key=score)
        for name, value in vars(best).items():
            if name.endswith("_") and not name.startswith("__"):
                setattr(self, name, value)
        self._y_ndim = best._y_ndim
        self._return_numpy = best._return_numpy
        self.estimators_ = members
        self.restart_scores_ = np.array([score(m) for m in members])
        return self

    def _fit_members(self, X, y, seeds: list) -> list:
        """One fitted single-network copy of this model per seed, sharing the work.

        Member ``k`` equals ``clone(self).set_params(n_init=1,
        random_state=seeds[k]).fit(X, y)`` (a seed of None keeps this
        model's ``random_state``). The data are validated, scaled and divided
        once for all members (unless ``division='random'``, where each seed
        draws its own division); the networks then train stacked
        (:mod:`bpforecast.nn.stacked`, equal to separate fits up to
        rounding) where :meth:`_use_batched` says that is faster, in worker
        processes with ``n_jobs``, or one after another.
        Used by ``n_init`` restarts and by
        :class:`~bpforecast.forecasting.forecaster.BPForecaster`'s ``n_models``.

        Examples
        --------
        >>> import numpy as np
        >>> from bpforecast import BPRegressor
        >>> X = np.linspace(-1, 1, 60).reshape(-1, 1); y = X.ravel() ** 2
        >>> members = BPRegressor((3,), epochs=20)._fit_members(X, y, [0, 1])
        >>> [m.random_state for m in members]
        [0, 1]
        """
        self._validate_params()
        seeds = [self.random_state if seed is None else seed for seed in seeds]
        if self._use_batched(X, y, len(seeds)):
            return self._fit_batched(X, y, seeds)
        if self.n_jobs not in (None, 1):
            from joblib import Parallel, delayed

            return Parallel(n_jobs=self.n_jobs)(
                delayed(_fit_one_restart)(self, seed, X, y, one_thread=True)
                for seed in seeds
            )
        if self._division() == "random" or self.verbose:
            return [_fit_one_restart(self, seed, X, y) for seed in seeds]
        # One setup for all: the division does not depend on the seed.
        base = clone(self).set_params(n_init=1)
        prep = base._prepare(X, y, warm=False)
        members = []
        for seed in seeds:
            rng = check_random_state(seed)
            result = train(
                base._initial_theta(prep, rng),
                prep.arch,
                prep.blocks[0],
                self._make_solver(),
                self._criteria(),
                validation=prep.blocks[1],
                test=prep.blocks[2],
                batch_size=self.batch_size,
                random_state=rng,
            )
            members.append(self._member(seed, base)._finish(result, prep))
        return members

    def _member(self, seed, base) -> BPRegressor:
        """An unfitted member with ``seed`` that shares ``base``'s fitted setup."""
        member = clone(self).set_params(n_init=1, random_state=seed, n_jobs=None)
        for name, value in vars(base).items():  # the shared fitted scaling
            if name.endswith("_") or name.startswith("_return"):
                setattr(member, name, value)
        return member

    def _fit_batched(self, X, y, seeds) -> list:
        """All restarts in one stacked computation (see bpforecast.nn.stacked)."""
        base = clone(self).set_params(n_init=1)
        prep = base._prepare(X, y, warm=False)
        xp = prep.xp
        thetas = xp.stack(
            [base._initial_theta(prep, check_random_state(seed)) for seed in seeds]
        )
        results = train_stacked(
            thetas,
            prep.arch,
            prep.blocks[0],
            self._make_solver(),
            self._criteria(),
            validation=prep.blocks[1],
            test=prep.blocks[2],
        )
        return [
            self._member(seed, base)._finish(result, prep)
            for seed, result in zip(seeds, results, strict=True)
        ]

    def _make_solver(self):
        if self.solver in ("trainlm", "trainbr", "trainscg", "trainrp"):
            if self.batch_size is not None:
                raise ValueError(
                    f"solver={self.solver!r} trains full batch only; "
                    "set batch_size=None."
                )
        if self.solver in ("trainlm", "trainbr"):
            solver_type = TrainLM if self.solver == "trainlm" else TrainBR
            return solver_type(
                mu=self._default("mu"),
                mu_dec=self.mu_dec,
                mu_inc=self.mu_inc,
                mu_max=self.mu_max,
            )
        if self.solver == "trainscg":
            return TrainSCG(sigma=self.sigma, lambda_=self.lambda0)
        if self.solver == "trainrp":
            return TrainRP(
                delt_inc=self.delt_inc,
                delt_dec=self.delt_dec,
                delta0=self.delta0,
                deltamax=self.deltamax,
            )
        return SOLVERS[self.solver](
            lr=self.lr,
            mc=self.mc,
            lr_inc=self.lr_inc,
            lr_dec=self.lr_dec,
            max_perf_inc=self.max_perf_inc,
        )

    def _validate_fit_data(self, X, y, reset: bool):
        """``(xp, X, y)``: scikit-learn validation for numpy/pandas, else ours."""
        dtype = self.dtype
        xp, native = namespace_of(X, y)
        on_device = native and self.device is not None and self.device != "cpu"
        self._return_numpy = on_device
        if native:
            X, y = validate_data(
                self,
                X,
                y,
                multi_output=True,
                y_numeric=True,
                dtype=dtype,
                reset=reset,
            )
            # scikit-learn converts y to float64 whatever dtype says.
            y = y.astype(X.dtype, copy=False)
            if on_device:  # device='cuda': move the data to the GPU once
                xp = _device_namespace(self.device)
                return xp, xp.asarray(X), xp.asarray(y)
            return np, X, y
        X = check_xp_array(X, xp, "X", ndims=(2,), dtype=dtype)
        y = check_xp_array(y, xp, "y", ndims=(1, 2), dtype=dtype)
        if X.shape[0] != y.shape[0]:
            raise ValueError(
                "Found input variables with inconsistent numbers of samples: "
                f"[{X.shape[0]}, {y.shape[0]}]"
            )
        if reset:
            self.n_features_in_ = X.shape[1]
            if hasattr(self, "feature_names_in_"):
                del self.feature_names_in_
        elif X.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X has {X.shape[1]} features, but {type(self).__name__} is "
                f"expecting {self.n_features_in_} features as input."
            )
        return xp, X, y

    def _fit_scaling(self, X, Y) -> None:
        xp = array_namespace(X)

        def unscaled(A):
            kw = {"dtype": A.dtype, "device": device(A)}
            return (
                xp.zeros(A.shape[1], **kw),
                xp.ones(A.shape[1], **kw),
                xp.zeros(A.shape[1], dtype=xp.bool),
            )

        target = self.scaling if self.target_scaling == "same" else self.target_scaling
        for which, A, how in (("x", X, self.scaling), ("y", Y, target)):
            center, gain, constant = unscaled(A) if how is None else SCALINGS[how](A)
            setattr(self, f"{which}_center_", center)
            setattr(self, f"{which}_gain_", gain)
            name = "constant_features_" if which == "x" else "constant_targets_"
            setattr(self, name, constant)
        for name in ("x_center_", "x_gain_", "y_center_", "y_gain_"):
            value = getattr(self, name)
            bad_gain = name.endswith("gain_") and bool(xp.any(value == 0))
            if bad_gain or not bool(xp.all(xp.isfinite(value))):
                which = "X" if name.startswith("x") else "y"
                how = (
                    f"scaling={self.scaling!r}"
                    if which == "X"
                    else f"target_scaling={target!r}"
                )
                raise ValueError(
                    f"{which} cannot be scaled with {how}: a "
                    "column's mean, range or standard deviation overflows or "
                    "underflows (values too large in magnitude, or a range too "
                    "small to represent); rescale the data first."
                )

    def _warm_start_theta(self, prep: _Prepared):
        """The fitted weights as the starting vector, in the data's namespace,
        dtype and device (as :meth:`_initial_theta` gives new ones)."""
        arch = prep.arch
        coefs = [to_numpy(W).astype(np.float64) for W in self.coefs_]
        intercepts = [to_numpy(b).astype(np.float64) for b in self.intercepts_]
        expected = arch.shapes
        got = [W.shape for W in coefs]
        got_b = [b.shape for b in intercepts]
        if got != expected or got_b != [(n_out,) for _, n_out in expected]:
            raise ValueError(
                "warm_start=True needs coefs_/intercepts_ matching the architecture: "
                f"expected weight shapes {expected}, got {got} and bias shapes {got_b}."
            )
        theta = pack(coefs, intercepts)
        if not np.all(np.isfinite(theta)):
            raise ValueError("warm_start=True: coefs_/intercepts_ contain NaN or inf.")
        return prep.xp.asarray(theta, dtype=prep.dtype, device=prep.device)

    # -------------------------------------------------------------- predict
    @property
    def architecture_(self) -> Architecture:
        """The fitted network's layer sizes, transfer functions and ``alpha``.

        Derived from the fitted attributes (so models saved before it
        existed have it too).

        Raises
        ------
        sklearn.exceptions.NotFittedError
            Before ``fit`` (an AttributeError, so ``hasattr`` is False).

        Examples
        --------
        >>> import numpy as np
        >>> from bpforecast import BPRegressor
        >>> X = np.arange(20.0).reshape(10, 2)
        >>> BPRegressor((3,), epochs=2).fit(X, X[:, 0]).architecture_.layer_sizes
        (2, 3, 1)
        >>> hasattr(BPRegressor(), "architecture_")
        False
        """
        check_is_fitted(self, "coefs_")
        return Architecture.build(
            self.n_features_in_,
            _check_hidden_layer_sizes(self.hidden_layer_sizes),
            self.n_outputs_,
            self.activation,
            self.output_activation,
            self.alpha,
        )

    def predict(self, X):
        """Predict with the trained network, in the units of ``y``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,) or (n_samples, n_outputs)
            1-D when the model was fitted on a 1-D ``y``.

        Examples
        --------
        >>> import numpy as np
        >>> from bpforecast import BPRegressor
        >>> X = np.arange(20.0).reshape(10, 2)
        >>> BPRegressor(epochs=3, random_state=0).fit(X, X).predict(X).shape
        (10, 2)
        """
        check_is_fitted(self, "coefs_")
        if getattr(self, "estimators_", None) and self.restarts != "best":
            preds = [m.predict(X) for m in self.estimators_]
            return self._combine_restarts(preds)
        xp = array_namespace(self.coefs_[0])
        _, native = namespace_of(X)
        if native:
            X = validate_data(self, X, dtype=self.dtype, reset=False)
            if xp is not np:
                X = xp.asarray(X, device=device(self.coefs_[0]))
        else:
            X = check_xp_array(X, xp, "X", ndims=(2,), dtype=self.dtype)
            if X.shape[1] != self.n_features_in_:
                raise ValueError(
                    f"X has {X.shape[1]} features, but {type(self).__name__} is "
                    f"expecting {self.n_features_in_} features as input."
                )
        Y = self._predict_array(X)
        if native and xp is not np:
            return to_numpy(Y)
        return Y

    def _combine_restarts(self, preds: list):
        xp_out = array_namespace(preds[0])
        stacked = xp_out.stack(preds)
        if self.restarts == "mean":
            return xp_out.mean(stacked, axis=0)
        return _median(stacked, xp_out)

    def _predict_array(self, X):
        """:meth:`predict` without the input checks, for callers inside the
        package that build ``X`` themselves (the forecaster's closed loop calls
        it once per step): ``X`` must be a finite 2-D array of the weights'
        namespace, dtype and device, with ``n_features_in_`` columns.
        """
        if getattr(self, "estimators_", None) and self.restarts != "best":
            return self._combine_restarts(
                [m._predict_array(X) for m in self.estimators_]
            )
        xp = array_namespace(self.coefs_[0])
        theta = pack(list(self.coefs_), list(self.intercepts_))
        Xs = apply_scaling(X, self.x_center_, self.x_gain_)
        out = forward(theta, self.architecture_, Xs)[-1]
        Y = reverse_scaling(out, self.y_center_, self.y_gain_)
        # As MATLAB's removeconstantrows on outputs: a target that was constant
        # in training is predicted as that constant.
        Y = xp.where(self.constant_targets_, self.y_center_, Y)
        if self._y_ndim == 1:
            Y = xp.reshape(Y, (-1,))
        return Y

    # --------------------------------------------------------------- report
    def report(self, X, y, *, zero_tol: float | None = None):
        """Relative-error report of the fitted model on ``X`` and ``y``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Expected values.
        zero_tol : float or None
            Expected values with ``|y| <= zero_tol`` have no relative error
            (it is reported as NaN and left out of the relative summaries).
            None uses ``1e-12 * max|y|``.

        Returns
        -------
        bpforecast.estimators.report.RelativeErrorReport

        Examples
        --------
        >>> import numpy as np
        >>> from bpforecast import BPRegressor
        >>> X = np.random.default_rng(0).uniform(1, 2, size=(100, 1))
        >>> model = BPRegressor((4,), division=None, random_state=0)
        >>> model = model.fit(X, 2 * X.ravel())
        >>> rep = model.report(X, 2 * X.ravel())
        >>> bool(rep.summary_table()["max_abs_relative_error"] < 0.05)
        True
        """
        from .report import RelativeErrorReport

        check_is_fitted(self, "coefs_")
        computed = to_numpy(self.predict(X)).astype(np.float64)
        if not namespace_of(y)[1]:
            y = to_numpy(y)
        expected = check_array(y, ensure_2d=False, dtype=np.float64, input_name="y")
        check_consistent_length(computed, expected)
        if expected.shape != computed.shape:
            raise ValueError(
                f"y has shape {expected.shape}; the model predicts {computed.shape}."
            )
        return RelativeErrorReport.from_model(
            self, expected, computed, zero_tol=zero_tol
        )

    def prune(self, X_val, y_val, method: str = "weights", **kwargs):
        """Prune the trained network by principal components (a pruned copy).

        Thin wrapper of :func:`bpforecast.pruning.prune`: ``method='weights'``
        projects low-saliency input directions out of each layer (Levin, Leen
        & Moody), ``method='units'`` removes redundant hidden units and folds
        them into the next layer. The original model is untouched.

        Returns
        -------
        pruned : BPRegressor
        report : bpforecast.pruning.PruningReport

        Examples
        --------
        >>> import numpy as np
        >>> from bpforecast import BPRegressor
        >>> rng = np.random.default_rng(0)
        >>> X = rng.normal(size=(120, 3)); y = X[:, 0] - X[:, 1]
        >>> m = BPRegressor((4,), solver="trainlm", epochs=30, random_state=0)
        >>> pruned, report = m.fit(X[:90], y[:90]).prune(X[90:], y[90:])
        >>> pruned is not m
        True
        """
        from ..pruning import prune

        return prune(self, X_val, y_val, method=method, **kwargs)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.target_tags.single_output = True
        return tags


def _device_namespace(name: str):
    """The array namespace that ``device=name`` moves numpy data to."""
    if name in ("cuda", "gpu") or name.startswith("cuda:"):
        try:
            import cupy
        except ImportError as exc:
            raise ImportError(
                f"device={name!r} needs CuPy: pip install 'bpforecast[gpu]'"
            ) from exc
        if ":" in name:
            cupy.cuda.Device(int(name.split(":")[1])).use()
        return array_namespace(cupy.empty(0))
    raise ValueError(f"device must be None, 'cpu' or 'cuda[:N]', got {name!r}.")


def _median(stacked, xp):
    """Median over the first axis (the array API standard has no median)."""
    k = stacked.shape[0]
    ordered = xp.sort(stacked, axis=0)
    if k % 2:
        return ordered[k // 2, ...]
    return 0.5 * (ordered[k // 2 - 1, ...] + ordered[k // 2, ...])


def _fit_one_restart(model, seed, X, y, one_thread: bool = False):
    """Fit one restart of ``model`` with ``seed`` (BLAS on one thread in workers)."""
    member = clone(model).set_params(n_init=1, random_state=seed, n_jobs=None)
    if not one_thread:
        return member.fit(X, y)
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):
        return member.fit(X, y)
