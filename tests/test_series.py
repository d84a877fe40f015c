"""Series checks, seeds and interval math written once (forecasting.series,
forecasting.seeds, forecasting.intervals)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import bpforecast.baselines
import bpforecast.forecasting.baselines as baselines
import bpforecast.forecasting.multiseries as multiseries
from bpforecast import BPForecaster
from bpforecast.forecasting import series
from bpforecast.forecasting.intervals import conformal_half_width, conformal_level
from bpforecast.seeds import restart_seeds, series_seed


def test_moved_names_stay_importable_from_their_old_homes():
    assert baselines.future_index is series.future_index
    assert baselines.infer_season_length is series.infer_season_length
    assert bpforecast.baselines.future_index is series.future_index
    assert multiseries.series_seed is series_seed


def test_infer_freq_own_inferred_or_none():
    idx = pd.date_range("2020-01-01", periods=4, freq="h")
    assert series.infer_freq(idx) == idx.freq
    assert series.infer_freq(pd.DatetimeIndex(list(idx))).freqstr == "h"
    assert series.infer_freq(idx[:2].copy()._with_freq(None)) is None
    gap = pd.DatetimeIndex(["2020-01-01", "2020-01-02", "2020-01-04"])
    assert series.infer_freq(gap) is None
    with pytest.raises(ValueError, match="cannot determine the frequency"):
        series.datetime_freq(gap)


@pytest.mark.parametrize("bad", [0, -1, 2.5, True, "3", None])
def test_check_steps_one_rule_two_error_types(bad):
    wrong_type = TypeError if not series.is_int(bad) else ValueError
    with pytest.raises(ValueError if wrong_type is ValueError else TypeError):
        series.check_steps(bad, wrong_type=TypeError)
    with pytest.raises(ValueError, match="steps must be a positive integer"):
        series.check_steps(bad)
    with pytest.raises(ValueError, match="horizon must be a positive integer"):
        series.check_horizon(bad)


def test_check_series_sets_the_frequency_and_refuses_gaps():
    idx = pd.DatetimeIndex(["2020-01-01", "2020-02-01", "2020-03-01", "2020-04-01"])
    y = series.check_series(pd.Series([1, 2, 3, 4], index=idx, name="sales"))
    assert y.index.freqstr == "MS" and y.name == "y" and y.dtype == float
    with pytest.raises(ValueError, match="no regular frequency"):
        series.check_series(pd.Series([1.0, 2, 3], index=idx[[0, 1, 3]]))
    with pytest.raises(TypeError, match="numeric"):
        series.check_series(pd.Series([True, False]))


def test_next_label_and_future_index_agree_on_regular_indexes():
    for idx in (
        pd.RangeIndex(3, 12, 3),
        pd.date_range("2021-01-01", periods=5, freq="W"),
        pd.period_range("2000Q1", periods=3, freq="Q"),
    ):
        assert series.next_label(idx) == series.future_index(idx, 1)[0]


def test_restart_seeds_match_the_forecaster_rule():
    assert restart_seeds(10, 3) == [10, 11, 12]
    assert restart_seeds(None, 2) == [None, None]
    f = BPForecaster(n_models=3, random_state=4)
    assert f._seeds() == [4, 5, 6]
    assert series_seed(3, "x") == series_seed(3, "x") != series_seed(3, "y")


def test_conformal_half_width_is_the_split_conformal_order_statistic():
    errors = np.column_stack([np.arange(1.0, 21.0), -np.arange(1.0, 21.0) * 2])
    half = conformal_half_width(errors, 0.9)
    assert conformal_level(20, 0.9) == 0.95
    # the ceil(21 * 0.9) = 19th smallest of the 20 |errors| (Lei et al. 2018)
    assert half.tolist() == [19.0, 38.0]
    # ceil(4 * 0.9) = 4 > K = 3: the largest
    assert conformal_half_width(errors[:3], 0.9).tolist() == [3.0, 6.0]
    # 10 * 0.7 is 7.000000000000001 in floating point; the rank is still 7
    assert conformal_level(9, 0.7) == 7 / 9
    assert conformal_half_width(errors[:9], 0.7).tolist() == [7.0, 14.0]
    with pytest.raises(ValueError, match="coverage"):
        conformal_half_width(errors, 1.0)
    with pytest.raises(ValueError, match="2-D"):
        conformal_half_width(errors[:, 0], 0.9)
