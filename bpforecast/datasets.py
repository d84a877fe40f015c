"""Small, real, public time series bundled with bpforecast.

The CSV files live in the top-level ``datasets/`` folder of the source tree,
which is installed as the package ``bpforecast._datasets``. Every file has two
columns: ``ds`` (an ISO date such as ``1949-01-01`` for sub-annual series, or
an integer year for yearly series) and ``y`` (the observed value). Provenance,
units and licence of each series are documented in ``datasets/README.md``.

Every loader returns a :class:`pandas.Series` named ``"y"`` with ``float64``
values and a :class:`pandas.DatetimeIndex` named ``"ds"`` whose ``freq`` is
set: ``"MS"`` (month start) for monthly series and ``"YS"`` (year start,
1 January; ``freqstr`` is ``"YS-JAN"``) for yearly series. With
``as_frame=True`` a :class:`pandas.DataFrame` with a default ``RangeIndex`` and
the columns ``ds`` (``datetime64``) and ``y`` (``float64``) is returned instead.

Examples
--------
>>> from bpforecast.datasets import list_datasets, load_dataset
>>> list_datasets()
['airline_passengers', 'co2', 'nile', 'sunspots']
>>> y = load_dataset("airline_passengers")
>>> y.index.freqstr, len(y)
('MS', 144)
"""

from __future__ import annotations

import importlib.resources
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = [
    "list_datasets",
    "load_airline_passengers",
    "load_co2",
    "load_dataset",
    "load_nile",
    "load_sunspots",
]

_RESOURCE_PACKAGE = "bpforecast._datasets"


@dataclass(frozen=True)
class _DatasetSpec:
    filename: str
    freq: str
    yearly: bool


_DATASETS: dict[str, _DatasetSpec] = {
    "airline_passengers": _DatasetSpec("airline_passengers.csv", "MS", yearly=False),
    "co2": _DatasetSpec("co2_monthly.csv", "MS", yearly=False),
    "nile": _DatasetSpec("nile.csv", "YS", yearly=True),
    "sunspots": _DatasetSpec("sunspots_yearly.csv", "YS", yearly=True),
}


def _data_dir() -> Any:
    """Return a traversable handle on the folder holding the CSV files.

    Uses :func:`importlib.resources.files` on ``bpforecast._datasets`` when
    that package is importable (installed, or editable install), and otherwise
    falls back to the ``datasets/`` folder next to the ``bpforecast/`` package
    folder (running from a source checkout that was not installed).
    """
    try:
        return importlib.resources.files(_RESOURCE_PACKAGE)
    except ModuleNotFoundError:
        fallback = Path(__file__).resolve().parent.parent / "datasets"
        if not fallback.is_dir():
            raise FileNotFoundError(
                f"cannot find the bundled datasets: package {_RESOURCE_PACKAGE!r} "
                f"is not importable and {str(fallback)!r} does not exist"
            ) from None
        return fallback


def _read_frame(name: str) -> pd.DataFrame:
    spec = _DATASETS[name]
    resource = _data_dir().joinpath(spec.filename)
    with resource.open("rb") as handle:
        raw = pd.read_csv(handle, dtype={"ds": str, "y": "float64"})
    if list(raw.columns) != ["ds", "y"]:
        raise ValueError(
            f"{spec.filename}: expected columns ['ds', 'y'], got {list(raw.columns)}"
        )
    date_format = "%Y" if spec.yearly else "%Y-%m-%d"
    ds = pd.to_datetime(raw["ds"], format=date_format)
    return pd.DataFrame({"ds": ds, "y": raw["y"].to_numpy(dtype="float64")})


def list_datasets() -> list[str]:
    """Return the names of the bundled datasets.

    Returns
    -------
    list of str
        Sorted dataset names, each accepted by :func:`load_dataset`.

    Examples
    --------
    >>> from bpforecast.datasets import list_datasets
    >>> list_datasets()
    ['airline_passengers', 'co2', 'nile', 'sunspots']
    """
    return sorted(_DATASETS)


def load_dataset(name: str, *, as_frame: bool = False) -> pd.Series | pd.DataFrame:
    """Load a bundled dataset by name.

    Parameters
    ----------
    name : str
        One of the names returned by :func:`list_datasets`.
    as_frame : bool, default False
        If False, return a Series named ``"y"`` indexed by a
        ``DatetimeIndex`` named ``"ds"`` with its ``freq`` set. If True,
        return a DataFrame with a ``RangeIndex`` and the columns ``ds``
        (``datetime64``) and ``y`` (``float64``).

    Returns
    -------
    pandas.Series or pandas.DataFrame
        The series (``float64`` values, no missing values), or the frame if
        ``as_frame`` is True.

    Raises
    ------
    ValueError
        If ``name`` is not a bundled dataset; the message lists valid names.

    Examples
    --------
    >>> from bpforecast.datasets import load_dataset
    >>> y = load_dataset("nile")
    >>> y.name, y.index.name, y.index.freqstr
    ('y', 'ds', 'YS-JAN')
    >>> load_dataset("nile", as_frame=True).columns.tolist()
    ['ds', 'y']
    >>> load_dataset("nope")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    ValueError: unknown dataset 'nope'; valid names are: 'airline_passengers', ...
    """
    if not isinstance(name, str) or name not in _DATASETS:
        valid = ", ".join(repr(n) for n in list_datasets())
        raise ValueError(f"unknown dataset {name!r}; valid names are: {valid}")
    frame = _read_frame(name)
    if as_frame:
        return frame
    index = pd.DatetimeIndex(frame["ds"], freq=_DATASETS[name].freq, name="ds")
    return pd.Series(frame["y"].to_numpy(), index=index, name="y")


def load_airline_passengers(*, as_frame: bool = False) -> pd.Series | pd.DataFrame:
    """Load the Box & Jenkins monthly international airline passengers series.

    Monthly totals of international airline passengers, January 1949 to
    December 1960 (144 observations), in thousands of passengers. This is
    "Series G" of Box & Jenkins, *Time Series Analysis: Forecasting and
    Control*, and the same values as R's ``datasets::AirPassengers``.

    Parameters
    ----------
    as_frame : bool, default False
        Return a ``(ds, y)`` DataFrame instead of a Series; see
        :func:`load_dataset`.

    Returns
    -------
    pandas.Series or pandas.DataFrame
        Series named ``"y"`` with a month-start (``freq="MS"``)
        ``DatetimeIndex`` from 1949-01-01 to 1960-12-01, or the frame.

    Examples
    --------
    >>> from bpforecast.datasets import load_airline_passengers
    >>> y = load_airline_passengers()
    >>> len(y), y.index.freqstr, float(y.iloc[0]), float(y.iloc[-1])
    (144, 'MS', 112.0, 432.0)
    >>> str(y.index[0].date()), str(y.index[-1].date())
    ('1949-01-01', '1960-12-01')
    """
    return load_dataset("airline_passengers", as_frame=as_frame)


def load_sunspots(*, as_frame: bool = False) -> pd.Series | pd.DataFrame:
    """Load the yearly mean sunspot numbers, 1700-2008.

    Yearly mean (version 1, Wolf/Zurich) sunspot numbers for 1700 to 2008
    (309 observations), as distributed by NOAA's National Geophysical Data
    Center and bundled with statsmodels (``statsmodels.datasets.sunspots``).
    The values are dimensionless counts (relative sunspot numbers).

    Parameters
    ----------
    as_frame : bool, default False
        Return a ``(ds, y)`` DataFrame instead of a Series; see
        :func:`load_dataset`.

    Returns
    -------
    pandas.Series or pandas.DataFrame
        Series named ``"y"`` with a year-start (``freq="YS"``)
        ``DatetimeIndex`` from 1700-01-01 to 2008-01-01, or the frame.

    Examples
    --------
    >>> from bpforecast.datasets import load_sunspots
    >>> y = load_sunspots()
    >>> len(y), y.index.freqstr, int(y.index[0].year), int(y.index[-1].year)
    (309, 'YS-JAN', 1700, 2008)
    """
    return load_dataset("sunspots", as_frame=as_frame)


def load_nile(*, as_frame: bool = False) -> pd.Series | pd.DataFrame:
    """Load the annual flow of the river Nile at Aswan, 1871-1970.

    Annual discharge of the Nile at Aswan for 1871 to 1970 (100 observations),
    in units of 10^8 cubic metres, with an apparent change point near 1898.
    The values equal ``statsmodels.datasets.nile`` and R's ``datasets::Nile``.

    Parameters
    ----------
    as_frame : bool, default False
        Return a ``(ds, y)`` DataFrame instead of a Series; see
        :func:`load_dataset`.

    Returns
    -------
    pandas.Series or pandas.DataFrame
        Series named ``"y"`` with a year-start (``freq="YS"``)
        ``DatetimeIndex`` from 1871-01-01 to 1970-01-01, or the frame.

    Examples
    --------
    >>> from bpforecast.datasets import load_nile
    >>> y = load_nile()
    >>> len(y), int(y.index[0].year), int(y.index[-1].year), float(y.iloc[0])
    (100, 1871, 1970, 1120.0)
    """
    return load_dataset("nile", as_frame=as_frame)


def load_co2(*, as_frame: bool = False) -> pd.Series | pd.DataFrame:
    """Load monthly mean atmospheric CO2 at Mauna Loa, March 1958 - December 2001.

    Derived from the weekly Mauna Loa CO2 series bundled with statsmodels
    (``statsmodels.datasets.co2``, Keeling & Whorf, Scripps/CDIAC): weekly
    values were averaged per calendar month (over the weeks with data), the
    five months without any weekly value (1958-06, 1958-10, 1964-02 to
    1964-04) were filled by time-weighted linear interpolation, and the
    result was rounded to 3 decimals. 526 observations, in ppmv (parts per
    million by volume, dry air mole fraction).

    Parameters
    ----------
    as_frame : bool, default False
        Return a ``(ds, y)`` DataFrame instead of a Series; see
        :func:`load_dataset`.

    Returns
    -------
    pandas.Series or pandas.DataFrame
        Series named ``"y"`` with a month-start (``freq="MS"``)
        ``DatetimeIndex`` from 1958-03-01 to 2001-12-01, or the frame.

    Examples
    --------
    >>> from bpforecast.datasets import load_co2
    >>> y = load_co2()
    >>> len(y), y.index.freqstr, str(y.index[0].date()), str(y.index[-1].date())
    (526, 'MS', '1958-03-01', '2001-12-01')
    """
    return load_dataset("co2", as_frame=as_frame)
