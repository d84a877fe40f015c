"""BPRegressor: scikit-learn conformance, behaviour, stopping rules and bad input."""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

import bpforecast.nn.rules
import bpforecast.nn.training
from bpforecast import BPRegressor
from bpforecast.nn.network import forward, mse, pack


@parametrize_with_checks([BPRegressor()])
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


def make_data(n=200, n_features=3, seed=0, n_outputs=None):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-2, 2, size=(n, n_features))
    y = np.sin(X[:, 0]) + 0.5 * X[:, 1] ** 2 - 0.3 * X[:, 2]
    if n_outputs:
        y = np.column_stack([y, X[:, 0] * X[:, 1]])
    return X, y + 0.05 * rng.normal(size=y.shape)


def test_fits_a_nonlinear_function_well():
    X, y = make_data(400)
    model = BPRegressor(division="random", max_fail=20, random_state=0).fit(X, y)
    Xt, yt = make_data(200, seed=1)
    assert model.score(Xt, yt) > 0.9


def test_multi_output():
    X, Y = make_data(300, n_outputs=2)
    model = BPRegressor(division="random", max_fail=20, random_state=0).fit(X, Y)
    pred = model.predict(X)
    assert pred.shape == (300, 2)
    assert model.n_outputs_ == 2
    assert model.coefs_[-1].shape == (10, 2)
    assert model.score(X, Y) > 0.8


def test_2d_single_column_y_predicts_2d():
    X, y = make_data(50)
    model = BPRegressor(epochs=20, random_state=0).fit(X, y.reshape(-1, 1))
    assert model.predict(X).shape == (50, 1)


def test_reproducible_with_random_state_and_different_across_seeds():
    X, y = make_data(100)
    a = BPRegressor(epochs=50, random_state=3).fit(X, y).predict(X)
    b = BPRegressor(epochs=50, random_state=3).fit(X, y).predict(X)
    c = BPRegressor(epochs=50, random_state=4).fit(X, y).predict(X)
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)


def test_history_record():
    X, y = make_data(100)
    model = BPRegressor(epochs=40, min_grad=0, max_fail=1000, random_state=0).fit(X, y)
    h = model.history_
    assert list(h.columns) == ["perf", "vperf", "tperf", "lr", "gradient", "val_fail"]
    assert h.index[0] == 0 and len(h) == model.n_epochs_ + 1 == 41
    assert model.stop_reason_ == "epochs"
    assert h["lr"].iloc[0] == 0.01
    assert h[["perf", "vperf", "tperf", "gradient"]].notna().all().all()


def test_early_stopping_returns_weights_with_lowest_validation_error():
    X, y = make_data(150, seed=5)
    model = BPRegressor(hidden_layer_sizes=(30, 30), lr=0.05, random_state=1)
    model.fit(X, y)
    h = model.history_
    assert model.stop_reason_ == "max_fail"
    assert h["val_fail"].iloc[-1] == model.max_fail
    assert model.best_epoch_ == int(h["vperf"].idxmin())
    assert model.best_epoch_ < model.n_epochs_
    # The returned weights reproduce the best epoch's validation error.
    Xv, yv = X[model.val_indices_], y[model.val_indices_]
    scaled = (model.predict(Xv) - model.y_center_[0]) * model.y_gain_[0]
    target = (yv - model.y_center_[0]) * model.y_gain_[0]
    assert np.mean((scaled - target) ** 2) == pytest.approx(h["vperf"].min(), rel=1e-10)


def test_block_division_is_time_ordered():
    X, y = make_data(100)
    model = BPRegressor(epochs=5, random_state=0).fit(X, y)
    assert model.train_indices_.tolist() == list(range(70))
    assert model.val_indices_.tolist() == list(range(70, 85))
    assert model.test_indices_.tolist() == list(range(85, 100))


@pytest.mark.parametrize("division", ["random", "interleaved", None])
def test_other_divisions(division):
    X, y = make_data(100)
    model = BPRegressor(epochs=30, division=division, random_state=0).fit(X, y)
    parts = [model.train_indices_, model.val_indices_, model.test_indices_]
    assert sorted(np.concatenate(parts).tolist()) == list(range(100))
    if division is None:
        assert model.history_["vperf"].isna().all()
        assert model.best_epoch_ == model.n_epochs_


def test_stop_on_goal():
    X, y = make_data(100)
    model = BPRegressor(goal=0.5, division=None, random_state=0).fit(X, y)
    assert model.stop_reason_ == "goal"
    h = model.history_["perf"]
    assert h.iloc[-1] <= 0.5 < h.iloc[:-1].min()


def test_stop_on_min_grad():
    X, y = make_data(100)
    model = BPRegressor(min_grad=1e6, random_state=0).fit(X, y)
    assert model.stop_reason_ == "min_grad" and model.n_epochs_ == 0


def test_stop_on_time():
    X, y = make_data(100)
    model = BPRegressor(max_time=1e-9, random_state=0).fit(X, y)
    assert model.stop_reason_ == "time"


def test_keyboard_interrupt_stops_with_best_weights(monkeypatch):
    X, y = make_data(100)
    calls = {"n": 0}
    real_propose = bpforecast.nn.rules.GradientDescent.propose

    def interrupting_propose(self, *args):
        # Ctrl-C arrives in the middle of an epoch, while a step is proposed.
        calls["n"] += 1
        if calls["n"] > 40:
            raise KeyboardInterrupt
        return real_propose(self, *args)

    monkeypatch.setattr(
        bpforecast.nn.rules.GradientDescent, "propose", interrupting_propose
    )
    model = BPRegressor(max_fail=1000, random_state=0).fit(X, y)
    assert model.stop_reason_ == "user"
    assert 0 < model.n_epochs_ < 40
    assert len(model.history_) == model.n_epochs_ + 1
    assert model.best_epoch_ == int(model.history_["vperf"].idxmin())
    assert np.all(np.isfinite(model.predict(X)))


def test_epochs_zero_only_initialises():
    X, y = make_data(30)
    model = BPRegressor(epochs=0, random_state=0).fit(X, y)
    assert model.n_epochs_ == 0 and len(model.history_) == 1


def test_warm_start_continues_from_previous_weights():
    X, y = make_data(80)
    model = BPRegressor(epochs=30, division=None, min_grad=0, random_state=0)
    model.fit(X, y)
    first_final = model.history_["perf"].iloc[-1]
    model.set_params(warm_start=True)
    model.fit(X, y)
    assert model.history_["perf"].iloc[0] == pytest.approx(first_final, rel=1e-12)
    assert model.history_["lr"].iloc[0] == 0.01  # solver starts afresh


def test_warm_start_with_wrong_shapes_is_a_clear_error():
    X, y = make_data(40)
    model = BPRegressor(epochs=2, random_state=0).fit(X, y)
    model.coefs_ = model.coefs_[:-1]
    model.set_params(warm_start=True)
    with pytest.raises(ValueError, match="warm_start=True needs coefs_"):
        model.fit(X, y)


def test_scaling_makes_predictions_equivariant_to_units():
    """mapstd: fitting on a*y + b and c*X + d gives a*pred + b, all else equal."""
    X, y = make_data(120)
    base = BPRegressor(epochs=60, random_state=0).fit(X, y)
    shifted = BPRegressor(epochs=60, random_state=0).fit(3.0 * X - 7.0, 1000.0 * y + 5)
    np.testing.assert_allclose(
        shifted.predict(3.0 * X - 7.0), 1000.0 * base.predict(X) + 5, rtol=1e-9
    )


@pytest.mark.parametrize("scaling", ["mapstd", "mapminmax", None])
def test_constant_input_column_is_harmless(scaling):
    X, y = make_data(100)
    Xc = np.column_stack([X, np.full(100, 4.2)])
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        model = BPRegressor(epochs=50, scaling=scaling, random_state=0).fit(Xc, y)
        pred = model.predict(Xc)
    assert np.all(np.isfinite(pred))
    if scaling is not None:
        assert model.constant_features_.tolist() == [False, False, False, True]
        # Nguyen-Widrow gives the constant input zero weights.
        np.testing.assert_array_equal(
            BPRegressor(epochs=0, scaling=scaling, random_state=0)
            .fit(Xc, y)
            .coefs_[0][3],
            0.0,
        )


def test_constant_target_predicts_the_constant():
    X, _ = make_data(60)
    model = BPRegressor(epochs=20, random_state=0).fit(X, np.full(60, 2.5))
    np.testing.assert_allclose(model.predict(X), 2.5)


def test_divergent_learning_rate_recovers_without_nan():
    X, y = make_data(100)
    with pytest.warns(Warning, match="NaN or infinite"):
        model = BPRegressor(
            solver="traingd", lr=1e200, epochs=50, division=None, random_state=0
        ).fit(X, y)
    assert all(np.all(np.isfinite(W)) for W in model.coefs_)
    assert np.all(np.isfinite(model.predict(X)))
    assert model.history_["lr"].iloc[-1] < 1e200


def test_traingdx_large_lr_is_tamed_by_rejections():
    X, y = make_data(100)
    model = BPRegressor(lr=50.0, epochs=100, division=None, random_state=0).fit(X, y)
    lr = model.history_["lr"].to_numpy()
    assert np.any(lr[1:] < lr[:-1])  # some steps were rejected
    assert np.all(np.isfinite(model.predict(X)))


def test_minibatch_of_full_size_equals_full_batch_for_traingd():
    X, y = make_data(60)
    kw = dict(solver="traingd", epochs=30, division=None, min_grad=0, random_state=0)
    full = BPRegressor(**kw).fit(X, y)
    mini = BPRegressor(batch_size=60, **kw).fit(X, y)
    np.testing.assert_allclose(mini.history_["perf"], full.history_["perf"], rtol=1e-12)


@pytest.mark.parametrize("batch_size", [1, 16])
def test_minibatch_training_reduces_error(batch_size):
    X, y = make_data(80)
    model = BPRegressor(
        batch_size=batch_size, epochs=30, division=None, random_state=0
    ).fit(X, y)
    perf = model.history_["perf"]
    assert perf.iloc[-1] < 0.5 * perf.iloc[0]


@pytest.mark.parametrize("activation", ["logsig", "relu", "elu", "softplus", "purelin"])
def test_other_activations_and_glorot_init_train(activation):
    X, y = make_data(100)
    model = BPRegressor(
        activation=activation, init="glorot", epochs=100, random_state=0
    ).fit(X, y)
    assert model.history_["perf"].iloc[-1] < model.history_["perf"].iloc[0]


def test_l2_penalty_shrinks_weights():
    X, y = make_data(100)
    kw = dict(epochs=300, division=None, random_state=0)
    plain = BPRegressor(**kw).fit(X, y)
    ridge = BPRegressor(alpha=5.0, **kw).fit(X, y)
    norm = lambda m: sum(float(np.sum(W**2)) for W in m.coefs_)  # noqa: E731
    assert norm(ridge) < norm(plain)


def test_history_perf_is_mse_of_the_scaled_training_block():
    X, y = make_data(90)
    model = BPRegressor(epochs=10, min_grad=0, max_fail=100, random_state=0).fit(X, y)
    tr = model.train_indices_
    Xs = (X[tr] - model.x_center_) * model.x_gain_
    Ys = ((y[tr] - model.y_center_) * model.y_gain_).reshape(-1, 1)
    theta = pack(model.coefs_, model.intercepts_)
    out = forward(theta, model.architecture_, Xs)[-1]
    best = model.history_["perf"].loc[model.best_epoch_]
    assert mse(out, Ys) == pytest.approx(best, rel=1e-12)


# ----------------------------------------------------------- scikit-learn API
def test_pipeline_and_grid_search_with_time_series_split():
    X, y = make_data(150)
    pipe = make_pipeline(StandardScaler(), BPRegressor(epochs=30, random_state=0))
    search = GridSearchCV(
        pipe,
        {"bpregressor__hidden_layer_sizes": [(3,), (5, 5)]},
        cv=TimeSeriesSplit(n_splits=3),
    )
    search.fit(X, y)
    assert search.best_params_["bpregressor__hidden_layer_sizes"] in [(3,), (5, 5)]
    assert search.predict(X).shape == (150,)


def test_clone_gives_unfitted_copy_with_same_params():
    model = BPRegressor(hidden_layer_sizes=(4,), lr=0.1, random_state=2)
    X, y = make_data(40)
    model.fit(X, y)
    copy = clone(model)
    assert copy.get_params() == model.get_params()
    assert not hasattr(copy, "coefs_")


def test_pandas_input_records_feature_names():
    X, y = make_data(60)
    df = pd.DataFrame(X, columns=["a", "b", "c"])
    model = BPRegressor(epochs=10, random_state=0).fit(df, pd.Series(y))
    assert model.feature_names_in_.tolist() == ["a", "b", "c"]
    with pytest.warns(UserWarning, match="does not have valid feature names"):
        from_array = model.predict(X)
    np.testing.assert_allclose(model.predict(df), from_array)
    with pytest.raises(ValueError, match="feature names should match"):
        model.predict(df.set_axis(["c", "b", "x"], axis=1))


def test_inputs_are_not_modified():
    X, y = make_data(60)
    X0, y0 = X.copy(), y.copy()
    model = BPRegressor(epochs=20, random_state=0).fit(X, y)
    model.predict(X)
    model.report(X, y)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)


def test_coefs_do_not_alias_each_other():
    X, y = make_data(40)
    model = BPRegressor(epochs=5, random_state=0).fit(X, y)
    before = model.predict(X)
    model.intercepts_[0][:] += 0.0  # writing is allowed (they are own arrays)
    assert all(W.base is None or W.flags.owndata for W in model.coefs_)
    np.testing.assert_array_equal(model.predict(X), before)


# ----------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    "bad, match",
    [(np.nan, "Input X contains NaN"), (np.inf, "Input X contains infinity")],
)
def test_nan_or_inf_in_X(bad, match):
    X, y = make_data(30)
    X[3, 1] = bad
    with pytest.raises(ValueError, match=match):
        BPRegressor().fit(X, y)


def test_nan_in_y():
    X, y = make_data(30)
    y[0] = np.nan
    with pytest.raises(ValueError, match="Input y contains NaN"):
        BPRegressor().fit(X, y)


def test_wrong_number_of_features_at_predict():
    X, y = make_data(30)
    model = BPRegressor(epochs=2, random_state=0).fit(X, y)
    with pytest.raises(
        ValueError, match="X has 2 features, but BPRegressor is expecting 3"
    ):
        model.predict(X[:, :2])


def test_predict_before_fit():
    with pytest.raises(NotFittedError):
        BPRegressor().predict(np.zeros((2, 2)))


def test_empty_and_misshapen_input():
    with pytest.raises(ValueError, match="0 sample"):
        BPRegressor().fit(np.zeros((0, 2)), np.zeros(0))
    with pytest.raises(ValueError, match="Expected 2D array"):
        BPRegressor().fit(np.zeros(5), np.zeros(5))
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        BPRegressor().fit(np.zeros((5, 2)), np.zeros(4))


def test_huge_magnitudes_are_refused_clearly():
    X, y = make_data(20)
    X[:, 0] *= 1e306
    with pytest.raises(ValueError, match="too large"):
        BPRegressor().fit(X, y)


@pytest.mark.parametrize(
    "params, error, match",
    [
        ({"lr": -1.0}, ValueError, "'lr' parameter"),
        ({"activation": "swish"}, ValueError, "'activation' parameter"),
        ({"solver": "adam"}, ValueError, "'solver' parameter"),
        ({"epochs": -5}, ValueError, "'epochs' parameter"),
        ({"mc": 1.5}, ValueError, "'mc' parameter"),
        ({"division": "kfold"}, ValueError, "'division' parameter"),
        ({"hidden_layer_sizes": (5, 0)}, ValueError, "positive integers"),
        ({"hidden_layer_sizes": "ten"}, TypeError, "hidden_layer_sizes"),
        ({"division_ratios": (0.5, 0.5)}, ValueError, "division_ratios"),
        ({"division_ratios": (0.0, 0.5, 0.5)}, ValueError, "positive share"),
        ({"batch_size": 0}, ValueError, "'batch_size' parameter"),
        ({"scaling": "zscore"}, ValueError, "'scaling' parameter"),
    ],
)
def test_invalid_parameters_name_the_argument(params, error, match):
    X, y = make_data(20)
    with pytest.raises(error, match=match):
        BPRegressor(**params).fit(X, y)


# ------------------------------------------------------------------- trainlm
def test_trainlm_through_the_estimator():
    X, y = make_data(200)
    gdx = BPRegressor(division=None, epochs=200, random_state=0).fit(X, y)
    lm = BPRegressor(solver="trainlm", division=None, epochs=200, random_state=0)
    lm.fit(X, y)
    # Same starting weights, far lower training error after the same epochs.
    assert lm.history_["perf"].iloc[0] == pytest.approx(gdx.history_["perf"].iloc[0])
    assert lm.history_["perf"].iloc[-1] < 0.1 * gdx.history_["perf"].iloc[-1]
    assert lm.history_["lr"].iloc[0] == 0.001  # the lr column holds mu
    assert lm.stop_reason_ in {"epochs", "min_grad", "mu_max", "goal"}


def test_trainlm_refuses_minibatches_and_bad_mu():
    X, y = make_data(30)
    with pytest.raises(ValueError, match="full batch only"):
        BPRegressor(solver="trainlm", batch_size=5).fit(X, y)
    with pytest.raises(ValueError, match="'mu_dec' parameter"):
        BPRegressor(solver="trainlm", mu_dec=2.0).fit(X, y)


# ------------------------------------------------------------------ restarts
@pytest.mark.parametrize("mode", ["sequential", "batched"])
@pytest.mark.parametrize("restarts", ["best", "mean", "median"])
def test_restarts_equal_separate_fits_with_the_corresponding_seeds(restarts, mode):
    X, y = make_data(120)
    kw = dict(hidden_layer_sizes=(5,), epochs=80, max_fail=8)
    model = BPRegressor(
        n_init=3, restarts=restarts, restart_mode=mode, random_state=10, **kw
    ).fit(X, y)
    singles = [BPRegressor(random_state=10 + k, **kw).fit(X, y) for k in range(3)]
    for member, single in zip(model.estimators_, singles, strict=True):
        np.testing.assert_allclose(member.predict(X), single.predict(X), rtol=1e-10)
        assert member.n_epochs_ == single.n_epochs_
        assert member.stop_reason_ == single.stop_reason_
    vperf = [s.history_["vperf"].loc[s.best_epoch_] for s in singles]
    np.testing.assert_allclose(model.restart_scores_, vperf)
    best = singles[int(np.argmin(vperf))]
    if mode == "sequential":
        np.testing.assert_array_equal(model.coefs_[0], best.coefs_[0])
    else:
        # The stacked path sums its products in another order than the
        # numpy fast path of a single fit: equal up to rounding.
        np.testing.assert_allclose(model.coefs_[0], best.coefs_[0], rtol=1e-10)
    preds = np.stack([s.predict(X) for s in singles])
    expected = {
        "best": best.predict(X),
        "mean": preds.mean(axis=0),
        "median": np.median(preds, axis=0),
    }[restarts]
    np.testing.assert_allclose(model.predict(X), expected, rtol=1e-12)


@pytest.mark.parametrize(
    "n_rows, hidden, n_init, expected",
    [
        (60, (5,), 8, True),  # 60 rows x 26 parameters: small
        (60, (5,), 4, False),  # too few restarts
        (400, (20, 20), 8, False),  # 400 x 521: too much work
    ],
)
def test_auto_restart_mode_stacks_only_small_problems(n_rows, hidden, n_init, expected):
    X, y = make_data(n_rows)
    model = BPRegressor(hidden_layer_sizes=hidden, n_init=n_init)
    assert model._use_batched(X, y) is expected
    assert BPRegressor(n_init=n_init, restart_mode="batched")._use_batched(X, y)
    assert not BPRegressor(n_init=n_init, restart_mode="sequential")._use_batched(X, y)


# ------------------------------------------------------------------ progress
def test_verbose_shows_progress_without_tqdm(monkeypatch, capsys):
    import builtins

    real_import = builtins.__import__

    def no_tqdm(name, *args, **kwargs):
        if name.startswith("tqdm"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_tqdm)
    X, y = make_data(60)
    model = BPRegressor(verbose=True, epochs=50, max_fail=1000, random_state=0)
    model.fit(X, y)
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.startswith("Epoch")]
    assert [line.split()[1] for line in lines] == ["0/50", "25/50", "50/50"]
    assert "val_fail" in lines[0] and "lr" in lines[0]
    assert out.strip().endswith("Training stopped: epochs")


def test_verbose_with_tqdm_bar(capsys):
    pytest.importorskip("tqdm")
    X, y = make_data(60)
    BPRegressor(verbose=True, solver="trainlm", epochs=5, random_state=0).fit(X, y)
    captured = capsys.readouterr()
    assert "trainlm" in captured.err and "mu=" in captured.err
    assert "Training stopped" in captured.out


def test_batched_restarts_refuse_what_they_cannot_do():
    X, y = make_data(40)
    with pytest.raises(ValueError, match="restart_mode='batched' needs"):
        BPRegressor(n_init=2, restart_mode="batched", solver="trainlm").fit(X, y)


def test_restarts_in_parallel_equal_restarts_in_turn():
    X, y = make_data(100)
    kw = dict(hidden_layer_sizes=(4,), epochs=40, n_init=3, restart_mode="sequential")
    serial = BPRegressor(random_state=5, **kw).fit(X, y)
    parallel = BPRegressor(random_state=5, n_jobs=2, **kw).fit(X, y)
    # Workers run BLAS on one thread, which may round differently.
    for a, b in zip(serial.estimators_, parallel.estimators_, strict=True):
        np.testing.assert_allclose(a.predict(X), b.predict(X), rtol=1e-9)


@pytest.mark.parametrize(
    "kw",
    [
        {},
        {"n_init": 3, "restarts": "mean"},
        {"n_init": 3, "restarts": "median"},
        {"dtype": "float32"},
        {"y2d": True},
    ],
)
def test_unchecked_predict_path_equals_predict(kw):
    """The forecaster's closed loop calls _predict_array: same values as predict."""
    kw = dict(kw)
    X, y = make_data(60, n_outputs=2 if kw.pop("y2d", False) else None)
    model = BPRegressor(hidden_layer_sizes=(4,), epochs=20, random_state=0, **kw)
    model.fit(X, y)
    rows = X[:7].astype(model.coefs_[0].dtype)
    np.testing.assert_array_equal(model._predict_array(rows), model.predict(X[:7]))


# ------------------------------------------------------------ target_scaling


@pytest.mark.parametrize("solver", ["traingdx", "trainbr"])
def test_unscaled_targets_leave_the_output_layer_in_target_units(solver):
    rng = np.random.default_rng(3)
    X = rng.normal(loc=4.0, scale=3.0, size=(60, 3))
    y = 0.5 * X[:, 0] - 2.0 + rng.normal(scale=0.1, size=60)
    model = BPRegressor(
        hidden_layer_sizes=(4,),
        solver=solver,
        epochs=30,
        division=None,
        max_fail=0,
        target_scaling=None,
        random_state=0,
    ).fit(X, y)
    # inputs: mapstd, as scikit-learn's scaler with the N-1 standard deviation
    np.testing.assert_allclose(model.x_center_, X.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(model.x_gain_, 1 / X.std(axis=0, ddof=1), rtol=1e-12)
    # targets: untouched
    assert model.y_center_.tolist() == [0.0] and model.y_gain_.tolist() == [1.0]
    # the prediction is the plain forward pass, with no reverse scaling
    W1, W2 = model.coefs_
    b1, b2 = model.intercepts_
    hidden = np.tanh(((X - X.mean(axis=0)) / X.std(axis=0, ddof=1)) @ W1 + b1)
    np.testing.assert_allclose(model.predict(X), (hidden @ W2 + b2).ravel(), rtol=1e-10)


def test_target_scaling_same_follows_scaling_and_can_differ():
    rng = np.random.default_rng(4)
    X, y = rng.normal(size=(40, 2)), rng.normal(loc=10.0, size=40)
    same = BPRegressor(hidden_layer_sizes=(3,), epochs=5, random_state=0).fit(X, y)
    np.testing.assert_allclose(same.y_center_, [y.mean()], rtol=1e-12)
    minmax = BPRegressor(
        hidden_layer_sizes=(3,), epochs=5, target_scaling="mapminmax", random_state=0
    ).fit(X, y)
    np.testing.assert_allclose(minmax.x_center_, X.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(minmax.y_gain_, [2 / (y.max() - y.min())], rtol=1e-12)
    with pytest.raises(ValueError, match="target_scaling"):
        BPRegressor(target_scaling="maxabs").fit(X, y)
