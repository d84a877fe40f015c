"""Tests for bpforecast.estimators.division (MATLAB's divide* functions).

The set sizes are checked against MATLAB's rule written out independently:
the ratios are normalised to sum to one, ``n_val = round(val_ratio * n)`` and
``n_test = round(test_ratio * n)`` with MATLAB's ``round`` (half away from
zero, exact on the double it is given; here via :mod:`decimal`), the rest
train.
"""

from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bpforecast.estimators.division import (
    divide,
    divideblock,
    divideind,
    divideint,
    dividerand,
)

RATIOS = [
    (0.7, 0.15, 0.15),
    (0.6, 0.2, 0.2),
    (0.8, 0.1, 0.1),
    (0.5, 0.25, 0.25),
    (1 / 3, 1 / 3, 1 / 3),
    (0.9, 0.05, 0.05),
    (0.75, 0.25, 0.0),
    (1.0, 0.0, 0.0),
    (7.0, 1.5, 1.5),  # not normalised: same as the default
    (2.0, 1.0, 1.0),
]
SIZES = [0, 1, 2, 3, 5, 7, 10, 13, 20, 33, 99, 100, 101, 1000]


def matlab_round(x: float) -> int:
    """MATLAB's round on a double: nearest integer, halves away from zero."""
    return int(Decimal(x).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def matlab_counts(n, train_ratio, val_ratio, test_ratio):
    total = train_ratio + val_ratio + test_ratio
    n_val = matlab_round(val_ratio / total * n)
    n_test = matlab_round(test_ratio / total * n)
    return n - n_val - n_test, n_val, n_test


def _check_partition(n, parts):
    train, val, test = parts
    for p in parts:
        assert np.issubdtype(np.asarray(p).dtype, np.integer)
    together = np.concatenate([train, val, test])
    assert together.size == n
    np.testing.assert_array_equal(np.sort(together), np.arange(n))


def test_matlab_round_reference_itself():
    assert [matlab_round(v) for v in (0.5, 1.5, 2.5, 2.4999, 0.49999999999999994)] == [
        1,
        2,
        3,
        2,
        0,
    ]


# ---------------------------------------------------------------- divideblock


@pytest.mark.parametrize("ratios", RATIOS)
def test_divideblock_counts_follow_matlab_rule(ratios):
    for n in SIZES:
        expected = matlab_counts(n, *ratios)
        assert min(expected) >= 0
        parts = divideblock(n, *ratios)
        assert tuple(len(p) for p in parts) == expected, n
        _check_partition(n, parts)


@pytest.mark.parametrize("ratios", RATIOS)
def test_divideblock_is_contiguous_and_ordered(ratios):
    for n in SIZES:
        train, val, test = divideblock(n, *ratios)
        n_train, n_val = len(train), len(val)
        np.testing.assert_array_equal(train, np.arange(0, n_train))
        np.testing.assert_array_equal(val, np.arange(n_train, n_train + n_val))
        np.testing.assert_array_equal(test, np.arange(n_train + n_val, n))


def test_divideblock_default_and_documented_examples():
    assert [len(p) for p in divideblock(100)] == [70, 15, 15]
    # 0.15 * 10 = 1.5 rounds half away from zero to 2 (Python's round gives 2 by
    # banker's rounding too, so also check 0.25 * 10 = 2.5 -> 3, where it gives 2)
    assert [len(p) for p in divideblock(10)] == [6, 2, 2]
    assert [len(p) for p in divideblock(10, 0.5, 0.25, 0.25)] == [4, 3, 3]
    assert [len(p) for p in divideblock(2, 0.5, 0.25, 0.25)] == [0, 1, 1]


def test_divideblock_rounds_exactly_like_matlab_just_below_one_half():
    """0.49999999999999994 is the largest double below 0.5; MATLAB rounds it to 0.

    ``floor(x + 0.5)`` gets this wrong: ``x + 0.5`` rounds up to 1.0 in
    floating point, so one sample would go to validation instead of training.
    """
    just_below_half = 0.49999999999999994
    assert just_below_half < 0.5
    ratios = (0.5, just_below_half, 0.0)
    assert matlab_counts(1, *ratios) == (1, 0, 0)
    assert tuple(len(p) for p in divideblock(1, *ratios)) == (1, 0, 0)


@given(
    n=st.integers(0, 500),
    ratios=st.tuples(
        st.floats(0.0, 10.0), st.floats(0.0, 10.0), st.floats(0.0, 10.0)
    ).filter(lambda r: sum(r) > 1e-3),
)
@settings(max_examples=200, deadline=None)
def test_property_divideblock_counts(n, ratios):
    expected = matlab_counts(n, *ratios)
    parts = divideblock(n, *ratios)
    counts = tuple(len(p) for p in parts)
    if min(expected) >= 0:
        assert counts == expected
    _check_partition(n, parts)


# ----------------------------------------------------------------- dividerand


@pytest.mark.parametrize("ratios", RATIOS)
def test_dividerand_is_partition_with_block_counts(ratios):
    for n in SIZES:
        parts = dividerand(n, *ratios, random_state=3)
        _check_partition(n, parts)
        assert [len(p) for p in parts] == list(matlab_counts(n, *ratios))


def test_dividerand_reproducible_and_seed_dependent():
    a = dividerand(100, random_state=0)
    b = dividerand(100, random_state=0)
    for x, y in zip(a, b, strict=True):
        np.testing.assert_array_equal(x, y)
    c = dividerand(100, random_state=1)
    assert any(not np.array_equal(x, y) for x, y in zip(a, c, strict=True))
    # a RandomState instance is accepted and advances
    rs = np.random.RandomState(5)
    d1, d2 = dividerand(100, random_state=rs), dividerand(100, random_state=rs)
    assert any(not np.array_equal(x, y) for x, y in zip(d1, d2, strict=True))


def test_dividerand_is_not_contiguous():
    train, val, test = dividerand(200, random_state=0)
    # a random 30-element subset of range(200) is contiguous with negligible odds
    assert np.ptp(val) > len(val)
    assert np.ptp(test) > len(test)


def test_dividerand_sets_are_uniform_over_seeds():
    # each sample should land in validation about 15 % of the time
    n, hits = 20, np.zeros(20)
    reps = 400
    for seed in range(reps):
        hits[dividerand(n, random_state=seed)[1]] += 1
    freq = hits / reps
    assert np.all(np.abs(freq - 0.15) < 0.08)


# ------------------------------------------------------------------ divideint


@pytest.mark.parametrize("ratios", RATIOS)
def test_divideint_partition_with_block_counts(ratios):
    for n in SIZES:
        parts = divideint(n, *ratios)
        _check_partition(n, parts)
        assert [len(p) for p in parts] == list(matlab_counts(n, *ratios))
        for p in parts:
            assert np.all(np.diff(p) > 0)


def test_divideint_default_has_val_and_test_in_every_quarter():
    train, val, test = divideint(100)
    assert [len(train), len(val), len(test)] == [70, 15, 15]
    for part in (train, val, test):
        quarters = set((part // 25).tolist())
        assert quarters == {0, 1, 2, 3}


@pytest.mark.parametrize("ratios", RATIOS)
def test_divideint_is_evenly_interleaved(ratios):
    """Every prefix of the samples holds each set's share to within one sample."""
    for n in [1, 10, 33, 100, 101, 1000]:
        parts = divideint(n, *ratios)
        k = np.arange(1, n + 1)
        for part in parts:
            member = np.zeros(n)
            member[part] = 1
            deviation = np.abs(np.cumsum(member) - len(part) * k / n)
            assert np.all(deviation < 1.0 + 1e-9), (n, deviation.max())


def test_divideint_differs_from_divideblock():
    block = divideblock(100)
    inter = divideint(100)
    assert not np.array_equal(block[1], inter[1])
    assert np.ptp(inter[1]) > 50  # spread, not a 15-sample block


# ------------------------------------------------------------------ divideind


def test_divideind_returns_given_indices():
    train, val, test = divideind(6, [0, 2, 4], [1], [5])
    assert train.tolist() == [0, 2, 4]
    assert val.tolist() == [1]
    assert test.tolist() == [5]
    train, val, test = divideind(3, [0, 1, 2])
    assert train.tolist() == [0, 1, 2] and val.size == 0 and test.size == 0


@pytest.mark.parametrize(
    "sets",
    [
        ([0, 1, 5], [2], [3]),  # 5 >= n
        ([0, 1], [-1], [3]),  # negative
        ([0, 1], [2], [100]),
        ([], [], [5]),
    ],
)
def test_divideind_out_of_range_raises(sets):
    with pytest.raises(ValueError):
        divideind(5, *sets)


@pytest.mark.parametrize(
    "sets",
    [
        ([0, 1, 1], [2], [3]),  # twice in one set
        ([0, 1], [1], [3]),  # in two sets
        ([0, 1], [2], [2]),
        ([0], [4], [4, 3]),
    ],
)
def test_divideind_duplicates_raise(sets):
    with pytest.raises(ValueError):
        divideind(5, *sets)


# ------------------------------------------------------------- shared checks


BAD_RATIOS = [
    (-0.1, 0.5, 0.6),
    (0.7, -0.15, 0.15),
    (0.7, 0.15, -0.15),
    (np.nan, 0.15, 0.15),
    (0.7, np.nan, 0.15),
    (0.7, 0.15, np.inf),
    (0.0, 0.0, 0.0),
]


@pytest.mark.parametrize("ratios", BAD_RATIOS)
@pytest.mark.parametrize("func", [divideblock, divideint, dividerand])
def test_bad_ratios_raise(func, ratios):
    with pytest.raises(ValueError):
        func(10, *ratios)


@pytest.mark.parametrize("ratios", BAD_RATIOS)
@pytest.mark.parametrize("method", ["block", "interleaved", "random"])
def test_divide_bad_ratios_raise(method, ratios):
    with pytest.raises(ValueError):
        divide(10, method, ratios)


@pytest.mark.parametrize("func", [divideblock, divideint, dividerand])
def test_negative_n_raises(func):
    with pytest.raises(ValueError):
        func(-1)


def test_divide_dispatch():
    for method, func in [("block", divideblock), ("interleaved", divideint)]:
        for x, y in zip(
            divide(50, method, (0.6, 0.2, 0.2)),
            func(50, 0.6, 0.2, 0.2),
            strict=True,
        ):
            np.testing.assert_array_equal(x, y)
    for x, y in zip(
        divide(50, "random", (0.6, 0.2, 0.2), random_state=4),
        dividerand(50, 0.6, 0.2, 0.2, random_state=4),
        strict=True,
    ):
        np.testing.assert_array_equal(x, y)
    train, val, test = divide(7, None)
    assert train.tolist() == list(range(7)) and val.size == 0 and test.size == 0
    with pytest.raises(ValueError):
        divide(10, "bogus")


@given(
    n=st.integers(0, 300),
    ratios=st.tuples(
        st.floats(0.0, 1.0), st.floats(0.0, 1.0), st.floats(0.0, 1.0)
    ).filter(lambda r: sum(r) > 1e-3),
    method=st.sampled_from(["block", "interleaved", "random"]),
    seed=st.integers(0, 2**31 - 1),
)
@settings(max_examples=150, deadline=None)
def test_property_sets_disjoint_and_cover(n, ratios, method, seed):
    parts = divide(n, method, ratios, random_state=seed)
    _check_partition(n, parts)
    for a in range(3):
        for b in range(a + 1, 3):
            assert np.intersect1d(parts[a], parts[b]).size == 0


def test_divideind_refuses_float_and_boolean_indices():
    with pytest.raises(TypeError, match="train_ind must hold integer indices"):
        divideind(5, [0.9, 1.7])
    with pytest.raises(TypeError, match="flatnonzero"):
        divideind(3, [True, False, True])
