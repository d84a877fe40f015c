"""Tests for bpforecast.estimators.preprocessing (MATLAB's mapstd and mapminmax).

The references are independent of the code under test: scikit-learn's
StandardScaler and MinMaxScaler, and the textbook formulas written out with
numpy.
"""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.preprocessing import MinMaxScaler, StandardScaler
from sklearn.utils.estimator_checks import check_estimator

from bpforecast.estimators.preprocessing import (
    MapMinMax,
    MapStd,
    apply_scaling,
    mapminmax_params,
    mapstd_params,
    reverse_scaling,
)

SCALERS = [MapStd, MapMinMax]


def _random_data(seed, n=40, p=4):
    rng = np.random.default_rng(seed)
    # Columns with different locations and spreads.
    return rng.normal(size=(n, p)) * rng.uniform(0.1, 100.0, p) + rng.uniform(
        -50.0, 50.0, p
    )


# --------------------------------------------------------------------- MapStd


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("n", [2, 3, 17, 100])
def test_mapstd_is_standardscaler_times_sqrt_n_minus_1_over_n(seed, n):
    X = _random_data(seed, n=n)
    expected = StandardScaler().fit_transform(X) * np.sqrt((n - 1) / n)
    np.testing.assert_allclose(MapStd().fit_transform(X), expected, rtol=1e-12)


@pytest.mark.parametrize("seed", range(5))
def test_mapstd_is_mean_and_sample_std_formula(seed):
    X = _random_data(seed, n=25)
    expected = (X - X.mean(axis=0)) / np.std(X, axis=0, ddof=1)
    Z = MapStd().fit_transform(X)
    np.testing.assert_allclose(Z, expected, rtol=1e-12, atol=1e-14)
    # mean 0 and N-1 standard deviation 1 per column
    np.testing.assert_allclose(Z.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(np.std(Z, axis=0, ddof=1), 1.0, rtol=1e-12)


def test_mapstd_params_and_functions_match_formula():
    X = _random_data(7, n=30)
    center, gain, constant = mapstd_params(X)
    np.testing.assert_allclose(center, X.mean(axis=0), rtol=1e-13)
    np.testing.assert_allclose(gain, 1.0 / np.std(X, axis=0, ddof=1), rtol=1e-12)
    assert not constant.any()
    Z = apply_scaling(X, center, gain)
    np.testing.assert_allclose(
        Z, (X - X.mean(axis=0)) / np.std(X, axis=0, ddof=1), rtol=1e-12, atol=1e-14
    )
    np.testing.assert_allclose(reverse_scaling(Z, center, gain), X, rtol=1e-12)


def test_mapstd_transform_new_data_uses_fitted_parameters():
    X = _random_data(1, n=30)
    X_new = _random_data(2, n=10)
    expected = (X_new - X.mean(axis=0)) / np.std(X, axis=0, ddof=1)
    np.testing.assert_allclose(MapStd().fit(X).transform(X_new), expected, rtol=1e-12)


# ------------------------------------------------------------------ MapMinMax


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("n", [2, 3, 17, 100])
def test_mapminmax_equals_minmaxscaler_minus1_1(seed, n):
    X = _random_data(seed, n=n)
    ref = MinMaxScaler(feature_range=(-1, 1)).fit(X)
    ours = MapMinMax().fit(X)
    np.testing.assert_allclose(ours.transform(X), ref.transform(X), atol=1e-12)
    # also on new data outside the fitted range
    X_new = 3.0 * _random_data(seed + 100, n=7)
    np.testing.assert_allclose(
        ours.transform(X_new), ref.transform(X_new), rtol=1e-12, atol=1e-12
    )
    np.testing.assert_allclose(
        ours.inverse_transform(X_new), ref.inverse_transform(X_new), rtol=1e-12
    )


def test_mapminmax_maps_min_max_to_minus1_plus1():
    X = _random_data(3, n=50)
    Z = MapMinMax().fit_transform(X)
    np.testing.assert_allclose(Z.min(axis=0), -1.0, atol=1e-14)
    np.testing.assert_allclose(Z.max(axis=0), 1.0, atol=1e-14)
    np.testing.assert_array_equal(np.argmin(Z, axis=0), np.argmin(X, axis=0))
    np.testing.assert_array_equal(np.argmax(Z, axis=0), np.argmax(X, axis=0))


def test_mapminmax_params_match_formula():
    X = _random_data(4, n=20)
    lo, hi = X.min(axis=0), X.max(axis=0)
    center, gain, constant = mapminmax_params(X)
    np.testing.assert_allclose(center, (lo + hi) / 2, rtol=1e-13)
    np.testing.assert_allclose(gain, 2.0 / (hi - lo), rtol=1e-13)
    assert not constant.any()


# --------------------------------------------------------------- both scalers


@pytest.mark.parametrize("cls", SCALERS)
@pytest.mark.parametrize("seed", range(3))
def test_inverse_transform_round_trips(cls, seed):
    X = _random_data(seed, n=33)
    scaler = cls().fit(X)
    np.testing.assert_allclose(
        scaler.inverse_transform(scaler.transform(X)), X, rtol=1e-12, atol=1e-12
    )
    Z = np.random.default_rng(seed).normal(size=(9, X.shape[1]))
    np.testing.assert_allclose(
        scaler.transform(scaler.inverse_transform(Z)), Z, rtol=1e-12, atol=1e-12
    )


@pytest.mark.parametrize("cls", SCALERS)
def test_constant_columns_map_to_zero_without_warnings_and_invert_exactly(cls):
    rng = np.random.default_rng(0)
    X = np.column_stack(
        [rng.normal(size=12), np.full(12, 5.0), rng.normal(size=12), np.zeros(12)]
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scaler = cls().fit(X)
        Z = scaler.transform(X)
        back = scaler.inverse_transform(Z)
    assert np.all(np.isfinite(Z))
    np.testing.assert_array_equal(Z[:, 1], 0.0)
    np.testing.assert_array_equal(Z[:, 3], 0.0)
    np.testing.assert_array_equal(back[:, 1], 5.0)
    np.testing.assert_array_equal(back[:, 3], 0.0)
    np.testing.assert_array_equal(scaler.constant_, [False, True, False, True])
    # the varying columns are unaffected by the constant ones
    np.testing.assert_allclose(Z[:, [0, 2]], cls().fit_transform(X[:, [0, 2]]))


@pytest.mark.parametrize("cls", SCALERS)
def test_single_sample_fit_gives_no_nan(cls):
    X = np.array([[1.5, -2.0, 0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scaler = cls().fit(X)
        Z = scaler.transform(X)
        back = scaler.inverse_transform(Z)
        Z_new = scaler.transform(np.array([[2.5, -2.0, 1.0]]))
    np.testing.assert_array_equal(Z, 0.0)
    np.testing.assert_array_equal(back, X)
    assert np.all(np.isfinite(Z_new))
    assert np.all(np.isfinite(scaler.center_)) and np.all(np.isfinite(scaler.gain_))


@pytest.mark.parametrize("cls", SCALERS)
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_input_raises(cls, bad):
    X = _random_data(0, n=10, p=3)
    X_bad = X.copy()
    X_bad[4, 1] = bad
    with pytest.raises(ValueError):
        cls().fit(X_bad)
    scaler = cls().fit(X)
    with pytest.raises(ValueError):
        scaler.transform(X_bad)
    with pytest.raises(ValueError):
        scaler.inverse_transform(X_bad)


@pytest.mark.parametrize("cls", SCALERS)
@pytest.mark.parametrize("p_new", [2, 4])
def test_wrong_number_of_features_raises(cls, p_new):
    scaler = cls().fit(_random_data(0, n=10, p=3))
    X_new = np.ones((5, p_new))
    with pytest.raises(ValueError, match="features"):
        scaler.transform(X_new)
    with pytest.raises(ValueError, match="features"):
        scaler.inverse_transform(X_new)


@pytest.mark.parametrize("cls", SCALERS)
def test_unfitted_transform_raises(cls):
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        cls().transform(np.ones((3, 2)))


@pytest.mark.parametrize("cls", SCALERS)
def test_inputs_not_modified_in_place(cls):
    X = _random_data(5, n=15)
    X_copy = X.copy()
    scaler = cls().fit(X)
    np.testing.assert_array_equal(X, X_copy)
    Z = scaler.transform(X)
    np.testing.assert_array_equal(X, X_copy)
    assert not np.shares_memory(Z, X)
    Z_copy = Z.copy()
    back = scaler.inverse_transform(Z)
    np.testing.assert_array_equal(Z, Z_copy)
    assert not np.shares_memory(back, Z)
    cls().fit_transform(X)
    np.testing.assert_array_equal(X, X_copy)


@pytest.mark.parametrize("cls", SCALERS)
def test_read_only_input_is_accepted(cls):
    X = _random_data(6, n=15)
    X.setflags(write=False)
    scaler = cls().fit(X)
    np.testing.assert_allclose(scaler.inverse_transform(scaler.transform(X)), X)


@pytest.mark.parametrize("cls", SCALERS)
def test_pandas_dataframe_input(cls):
    pd = pytest.importorskip("pandas")
    X = _random_data(8, n=12, p=2)
    df = pd.DataFrame(X, columns=["a", "b"])
    scaler = cls().fit(df)
    np.testing.assert_allclose(scaler.transform(df), cls().fit_transform(X))
    assert list(scaler.get_feature_names_out()) == ["a", "b"]


HUGE_DATA = [
    pytest.param(np.array([[1e300], [-1e300]]), id="pm1e300"),
    pytest.param(np.array([[1e300], [1e300], [-1e300]]), id="1e300-skewed"),
    pytest.param(np.array([[1e200], [-1e200]]), id="pm1e200"),
    pytest.param(np.array([[1.7e308], [-1.7e308]]), id="pm1.7e308"),
    pytest.param(np.array([[1e300, 1.0], [1e300, 2.0], [-1e300, 3.0]]), id="mixed"),
    pytest.param(np.array([[1e308], [1e308]]), id="constant-1e308"),
]


@pytest.mark.parametrize("cls", SCALERS)
@pytest.mark.parametrize("X", HUGE_DATA)
def test_huge_values_raise_valueerror_or_scale_correctly(cls, X):
    """Values near the float limit must never turn silently into 0 or NaN.

    Either fit raises a clear ValueError, or the scaling is right: finite,
    equal to the scaling of the same data divided by a power of ten (the map
    is scale-invariant), and the round trip gives X back.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            scaler = cls().fit(X)
        except ValueError as exc:
            assert "large" in str(exc) or "overflow" in str(exc)
            return
        Z = scaler.transform(X)
        back = scaler.inverse_transform(Z)
    scale = 10.0 ** np.floor(np.log10(np.abs(X).max(axis=0)))
    expected = cls().fit_transform(X / scale)
    assert np.all(np.isfinite(Z)), f"transform gave {Z.tolist()}"
    np.testing.assert_allclose(Z, expected, rtol=1e-10, atol=1e-12)
    assert np.all(np.isfinite(back)), f"inverse_transform gave {back.tolist()}"
    np.testing.assert_allclose(back, X, rtol=1e-12)


_finite = st.floats(
    min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False
).map(lambda v: 0.0 if abs(v) < 1e-100 else v)  # no subnormal ranges


@pytest.mark.parametrize("cls", SCALERS)
@settings(max_examples=60, deadline=None)
@given(
    X=st.tuples(st.integers(2, 30), st.integers(1, 5)).flatmap(
        lambda shape: arrays(np.float64, shape, elements=_finite)
    )
)
def test_property_finite_output_and_round_trip(cls, X):
    X_copy = X.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scaler = cls().fit(X)
        Z = scaler.transform(X)
        back = scaler.inverse_transform(Z)
    np.testing.assert_array_equal(X, X_copy)
    assert np.all(np.isfinite(Z))
    # Round trip exact up to a few ulps of the column's magnitude.
    tol = 8 * np.finfo(float).eps * np.max(np.abs(X), axis=0)
    assert np.all(np.abs(back - X) <= tol), np.max(np.abs(back - X) - tol)
    if cls is MapMinMax:
        assert np.all(np.abs(Z) <= 1.0 + 1e-12)


@pytest.mark.parametrize("cls", SCALERS)
def test_passes_sklearn_check_estimator(cls):
    with warnings.catch_warnings():
        # check_array_api_input is skipped unless SCIPY_ARRAY_API=1 is set
        # (SkipTestWarning); every other check must pass.
        warnings.simplefilter("ignore")
        results = check_estimator(cls(), on_fail=None)
    failed = [
        (r["check_name"], repr(r["exception"]))
        for r in results
        if r["status"] == "failed"
    ]
    assert not failed
    skipped = {r["check_name"] for r in results if r["status"] == "skipped"}
    assert skipped <= {"check_array_api_input"}
