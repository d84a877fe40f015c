"""The closed loop (recursive forecasting) as a pure function."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LinearRegression

from bpforecast.forecasting.closed_loop import closed_loop, input_row


def test_one_series_equals_a_hand_written_loop():
    rng = np.random.default_rng(0)
    w = rng.normal(size=3)
    lags = np.array([1, 2, 5])
    history = rng.normal(size=12)
    buffer = list(history)
    for _ in range(6):
        buffer.append(float(w @ np.array([buffer[-k] for k in lags])))
    out = closed_loop(lambda X: X @ w, history, 6, lags)
    np.testing.assert_array_equal(out, np.array(buffer[12:]))


def test_many_series_advance_together_and_match_one_at_a_time():
    rng = np.random.default_rng(1)
    hist = rng.normal(size=(4, 10))
    exog = rng.normal(size=(4, 15, 2))
    model = LinearRegression().fit(
        rng.normal(size=(50, 2 + 2 * 2)), rng.normal(size=50)
    )
    calls = []

    def predict(X):
        calls.append(X.shape)
        return model.predict(X)

    together = closed_loop(predict, hist, 5, [1, 3], exog=exog, exog_lags=[0, 2])
    assert together.shape == (4, 5)
    assert calls == [(4, 6)] * 5  # one call per step, every series in it
    for i in range(4):
        alone = closed_loop(model.predict, hist[i], 5, [1, 3], exog[i], [0, 2])
        np.testing.assert_allclose(alone, together[i], rtol=0, atol=1e-12)


def test_exog_columns_then_lags_within_a_column():
    buffer = np.array([[0.0, 1.0, 2.0]])
    exog = np.array([[[10.0, 100.0], [11.0, 101.0], [12.0, 102.0], [13.0, 103.0]]])
    X, level = input_row(buffer, 3, np.array([1]), exog, np.array([0, 1]))
    assert X.tolist() == [[2.0, 13.0, 12.0, 103.0, 102.0]]
    assert level.tolist() == [0.0]


def test_normalize_feeds_changes_and_adds_the_level_back():
    # the model predicts "no change": the forecast stays at the last value
    out = closed_loop(
        lambda X: np.zeros(len(X)), [3.0, 5.0, 7.0], 3, [1, 2], normalize=True
    )
    assert out.tolist() == [7.0, 7.0, 7.0]


def test_errors():
    with pytest.raises(ValueError, match="at least 3"):
        closed_loop(lambda X: X[:, 0], [1.0, 2.0], 2, [1, 3])
    with pytest.raises(ValueError, match="exog_lags is required"):
        closed_loop(lambda X: X[:, 0], [1.0, 2.0], 2, [1], exog=np.zeros((4, 1)))
    with pytest.raises(ValueError, match="cover the history"):
        closed_loop(lambda X: X[:, 0], [1.0, 2.0], 2, [1], np.zeros((3, 1)), [0])
    with pytest.raises(ValueError, match="steps"):
        closed_loop(lambda X: X[:, 0], [1.0, 2.0], 0, [1])
