"""backtest(): fold layout, forecasts and metrics against direct computation."""

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression

from bpforecast import BPForecaster, backtest
from bpforecast.datasets import load_airline_passengers, load_nile
from bpforecast.evaluation.metrics import mae, mase, rmse, smape
from bpforecast.forecasting.baselines import Naive, SeasonalNaive


def test_seasonal_naive_folds_match_a_hand_loop():
    y = load_airline_passengers()
    r = backtest(SeasonalNaive(), y, initial=108, horizon=12, step=6)
    origins = list(range(108, len(y) - 12 + 1, 6))
    assert r.folds["fold"].nunique() == len(origins)
    for fold, origin in enumerate(origins):
        part = r.folds[r.folds["fold"] == fold]
        assert part["origin"].iloc[0] == y.index[origin - 1]
        np.testing.assert_array_equal(part["time"], y.index[origin : origin + 12])
        np.testing.assert_array_equal(part["actual"], y.iloc[origin : origin + 12])
        np.testing.assert_array_equal(part["forecast"], y.iloc[origin - 12 : origin])
        a, f, train = part["actual"], part["forecast"], y.iloc[:origin]
        got = r.fold_metrics.loc[fold]
        assert got["mae"] == pytest.approx(mae(a, f))
        assert got["rmse"] == pytest.approx(rmse(a, f))
        assert got["smape"] == pytest.approx(smape(a, f))
        assert got["mase"] == pytest.approx(mase(a, f, train, season_length=12))
    pd.testing.assert_series_equal(r.metrics, r.fold_metrics.mean())


def test_refit_false_fits_once_and_slides_the_history():
    y = load_nile()
    kw = dict(
        regressor=LinearRegression(),
        lags=2,
        transform=None,
        seasonal_adjustment=False,
        normalize=None,
        n_models=1,
    )
    r = backtest(BPForecaster(**kw), y, initial=70, horizon=5, refit=False)
    model = BPForecaster(**kw).fit(y.iloc[:70])
    for fold, origin in enumerate(range(70, 96, 5)):
        expected = model.forecast_from(y.iloc[:origin], 5)
        got = r.folds.loc[r.folds["fold"] == fold, "forecast"]
        np.testing.assert_allclose(got, expected, rtol=1e-10)


def test_refit_true_refits_each_fold():
    y = load_nile()
    r = backtest(Naive(), y, initial=90, horizon=2, step=3)
    assert r.folds["forecast"].tolist() == [
        y.iloc[89],
        y.iloc[89],
        y.iloc[92],
        y.iloc[92],
        y.iloc[95],
        y.iloc[95],
    ]


def test_exog_is_split_past_and_future():
    rng = np.random.default_rng(0)
    x = rng.normal(size=120)
    y = pd.Series(2 * x + 0.01 * rng.normal(size=120))
    f = BPForecaster(
        regressor=LinearRegression(),
        lags=1,
        transform=None,
        seasonal_adjustment=False,
        normalize=None,
        n_models=1,
    )
    r = backtest(f, y, initial=100, horizon=5, exog=pd.DataFrame({"x": x}))
    np.testing.assert_allclose(r.folds["forecast"], r.folds["actual"], atol=0.1)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(initial=0, horizon=3), "initial must be a positive integer"),
        (dict(initial=10, horizon=0), "horizon must be a positive integer"),
        (dict(initial=10, horizon=3, step=0), "step must be a positive integer"),
        (dict(initial=99, horizon=3), "exceeds the series length"),
        (dict(initial=50, horizon=3, refit=False), "forecast_from"),
    ],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        backtest(Naive(), load_nile(), **kwargs)


def test_summary_text():
    r = backtest(Naive(), load_nile(), initial=80, horizon=10)
    text = r.summary()
    assert text.startswith("Backtest: 2 folds, horizon 10")
    assert "smape" in text and "mase" in text


# ------------------------------------------------- folds, metrics=, n_jobs=
def test_folds_are_those_of_rolling_origin_split():
    from bpforecast.evaluation.splitters import RollingOriginSplit

    y = load_nile()
    r = backtest(Naive(), y, initial=61, horizon=7, step=4)
    split = RollingOriginSplit(initial=61, horizon=7, step=4).split(np.zeros(len(y)))
    for fold, (train, test) in enumerate(split):
        rows = r.folds[r.folds["fold"] == fold]
        assert rows["origin"].iloc[0] == y.index[train[-1]]
        assert rows["time"].tolist() == y.index[test].tolist()
    assert r.folds["fold"].max() == fold


def test_metrics_by_name_and_as_functions():
    y = load_nile()
    by_name = backtest(Naive(), y, initial=80, horizon=5, metrics=["mape", "mase"])
    assert by_name.fold_metrics.columns.tolist() == ["mape", "mase"]
    default = backtest(Naive(), y, initial=80, horizon=5)
    assert default.fold_metrics.columns.tolist() == ["mae", "rmse", "smape", "mase"]
    np.testing.assert_array_equal(
        by_name.fold_metrics["mase"], default.fold_metrics["mase"]
    )

    def worst(y_true, y_pred):
        return float(np.max(np.abs(np.asarray(y_true) - y_pred)))

    def scaled(y_true, y_pred, y_train):
        return float(np.mean(np.abs(y_true - y_pred)) / np.mean(np.abs(y_train)))

    custom = backtest(
        Naive(), y, initial=80, horizon=5, metrics={"worst": worst, "scaled": scaled}
    )
    for fold, rows in custom.folds.groupby("fold"):
        err = np.abs(rows["actual"] - rows["forecast"]).to_numpy()
        train = y.iloc[: 80 + 5 * fold].to_numpy()
        assert custom.fold_metrics.loc[fold, "worst"] == err.max()
        assert np.isclose(
            custom.fold_metrics.loc[fold, "scaled"], err.mean() / np.abs(train).mean()
        )


@pytest.mark.parametrize(
    ("metrics", "error", "match"),
    [
        (["mae", "nope"], ValueError, "unknown metric 'nope'"),
        (["relative_error"], ValueError, "unknown metric"),
        ({"x": 3}, TypeError, "not callable"),
        ([], ValueError, "empty"),
    ],
)
def test_bad_metrics(metrics, error, match):
    with pytest.raises(error, match=match):
        backtest(Naive(), load_nile(), initial=80, horizon=5, metrics=metrics)


@pytest.mark.parametrize("refit", [True, False])
def test_n_jobs_gives_identical_results(refit):
    y = load_nile()
    f = BPForecaster(n_models=1, lags=3, random_state=0)
    check_n_jobs_identical(f, y, refit)


def test_n_jobs_gives_identical_results_for_larger_networks():
    """12 lags, 131 weights: big enough for BLAS's result to depend on its
    number of threads (workers run with one); the folds run with one
    thread in the calling process too."""
    f = BPForecaster(n_models=1, random_state=0)
    check_n_jobs_identical(f, load_airline_passengers()[:100], True)


def check_n_jobs_identical(f, y, refit):
    one = backtest(f, y, initial=70, horizon=5, step=10, refit=refit, n_jobs=1)
    two = backtest(f, y, initial=70, horizon=5, step=10, refit=refit, n_jobs=2)
    pd.testing.assert_frame_equal(one.folds, two.folds, check_exact=True)
    pd.testing.assert_frame_equal(one.fold_metrics, two.fold_metrics, check_exact=True)
    assert one.folds["fold"].nunique() == 3
