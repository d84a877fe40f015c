"""Save and load fitted models in a format that cannot run code on load.

Why this format is the default, and not pickle
----------------------------------------------
``pickle`` (and ``joblib``, which is built on it) does not store data: it
stores instructions for rebuilding objects, and loading carries them out.
A pickle file can name any importable function and have it called with
arguments of its choosing, so **opening a pickled model can run arbitrary
code with your privileges** (the Python documentation: "never unpickle data
received from an untrusted source"). A model is exactly the kind of file
people pass around: by e-mail, on shared drives, as downloads.

:func:`save` writes only numbers, strings and plain numeric arrays, and
:func:`load` reads them back with ``allow_pickle=False``. It can only rebuild
classes on a fixed allow-list (:class:`~bpforecast.BPRegressor`,
:class:`~bpforecast.BPForecaster`, scikit-learn's ``LinearRegression`` and
``Ridge`` as inner regressors, and the forecaster's transforms), through
their constructors, then set their fitted attributes: public ones named as
scikit-learn names them (``coefs_``; never a name the class defines, such
as a method) and the few private ones each class lists. Nothing in a file
is called, imported or evaluated. The format also has a version number, so a
file stays readable when the code changes, where a pickle depends on the
exact layout of the classes that wrote it.

Pickle and joblib still work for those who want them (for instance to save
a forecaster whose inner regressor is not on the allow-list, and only for
files you made yourself)::

    import pickle
    with open("model.pkl", "wb") as fh:
        pickle.dump(model, fh)

File format (version 1)
-----------------------
One ZIP file (any name; ``.bpf`` is used in the examples) with exactly three
members:

``format.json``
    ``{"format": "bpforecast-model", "version": 1, "sha256": {"model.json":
    ..., "arrays.npz": ...}}``: the format name and version, and the SHA-256
    of the other two members.
``model.json``
    The library versions that wrote the file and the model as a tree of
    typed values: ``{"type": "estimator", "class": "bpforecast.BPRegressor",
    "params": {...}, "state": {...}}``, where ``params`` are the constructor
    parameters (``get_params(deep=False)``) and ``state`` the fitted
    attributes. Each value is tagged (``none``, ``bool``, ``int``,
    ``float``, ``str``, ``list``, ``tuple``, ``dict``, ``ndarray``,
    ``numpy_scalar``, ``string_array``, ``random_state``, pandas ``series``,
    ``dataframe`` and indexes with their dtype, time zone and frequency,
    and nested ``estimator`` / ``object`` nodes). Floats are exact (JSON
    numbers written with ``repr``; ``"nan"``, ``"inf"``, ``"-inf"`` as
    strings).
``arrays.npz``
    Every numeric array, as ``a0.npy``, ``a1.npy``, ... in NumPy's ``.npz``
    layout, referenced from ``model.json`` by key with its dtype and shape.
    Object arrays are never written, and never read (arrays of strings, such
    as ``feature_names_in_``, are JSON lists in ``model.json``).

:func:`load` refuses, with a ``ValueError`` that names the file, anything
that is not exactly this: a truncated or corrupted file, a checksum
mismatch, another format or an unknown version, a class or attribute not on
the allow-list, an attribute that would hide a method, an array that would
need pickle, arrays that are missing, unused or not of the recorded dtype
and shape, and a fitted network whose weights do not match its
architecture. The checksums detect corruption and careless edits; they are
not a signature (whoever can write the file can recompute them). A
deliberately altered file can therefore change a model's predictions, but
not run code: check where a model file comes from as you would a data file.

Examples
--------
>>> import os, tempfile
>>> import numpy as np
>>> from bpforecast import BPRegressor
>>> from bpforecast.io.persistence import load, save
>>> X = np.linspace(-1, 1, 40).reshape(-1, 1)
>>> model = BPRegressor((4,), epochs=20, random_state=0).fit(X, X.ravel() ** 2)
>>> path = os.path.join(tempfile.mkdtemp(), "model.bpf")
>>> save(model, path)
>>> restored = load(path)
>>> bool(np.array_equal(restored.predict(X), model.predict(X)))
True
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import math
import os
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

import numpy as np
import pandas as pd
from numpy.lib import format as npy_format

from .._version import __version__
from ..estimators.regressor import BPRegressor
from ..forecasting.forecaster import BPForecaster
from ..forecasting.transforms import DriftAdjustment, LogTransform, SeasonalAdjustment

__all__ = ["FORMAT_NAME", "FORMAT_VERSION", "load", "save"]

FORMAT_NAME = "bpforecast-model"
FORMAT_VERSION = 1

_HEADER = "format.json"
_MODEL = "model.json"
_ARRAYS = "arrays.npz"
_MEMBERS = (_HEADER, _MODEL, _ARRAYS)
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed, so the same model gives the same bytes
_MAX_HEADER_BYTES = 64 * 1024

# Array dtypes that may be written and read: booleans, integers, floats,
# complex numbers, datetimes, timedeltas and fixed-width unicode. Never
# objects ("O") or structured/void types ("V").
_ARRAY_KINDS = frozenset("biufcmMU")
# Public fitted attributes follow scikit-learn's convention: a name ending in
# one underscore (``coefs_``), no leading underscore, no double underscores.
_PUBLIC_FITTED = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*_")
_STRING_DTYPES = ("object", "str", "string")

PathOrFile = str | os.PathLike | IO[bytes]


# --------------------------------------------------------------- allow-lists
@dataclass(frozen=True)
class _EstimatorSpec:
    """A scikit-learn style estimator the format knows how to rebuild.

    Public fitted attributes (``name_``) are saved whatever their name;
    private ones only when listed in ``private``. ``check`` validates the
    rebuilt estimator (raises ValueError or TypeError when inconsistent).
    """

    cls: type
    private: frozenset[str] = frozenset()
    check: Callable[[Any], None] | None = None


@dataclass(frozen=True)
class _ObjectSpec:
    """A plain helper object: its constructor arguments and fitted attributes."""

    cls: type
    params: tuple[str, ...] = ()
    state: tuple[str, ...] = ()


def _check_bpregressor(model: BPRegressor) -> None:
    """The fitted weights and scaling must match the network's architecture."""
    if not hasattr(model, "coefs_"):
        return
    arch = model.architecture_
    coefs, intercepts = model.coefs_, model.intercepts_
    if not (isinstance(coefs, list) and isinstance(intercepts, list)):
        raise ValueError("coefs_ and intercepts_ must be lists of arrays")
    shapes = [getattr(W, "shape", None) for W in coefs]
    bias_shapes = [getattr(b, "shape", None) for b in intercepts]
    if shapes != list(arch.shapes) or bias_shapes != [(n,) for _, n in arch.shapes]:
        raise ValueError(
            f"weight shapes {shapes} and bias shapes {bias_shapes} do not match "
            f"the architecture {list(arch.shapes)}"
        )
    for W in [*coefs, *intercepts]:
        if W.dtype.kind != "f":
            raise ValueError(f"weights must be floating point, got {W.dtype}")
    sizes = {
        "x_center_": model.n_features_in_,
        "x_gain_": model.n_features_in_,
        "constant_features_": model.n_features_in_,
        "y_center_": model.n_outputs_,
        "y_gain_": model.n_outputs_,
        "constant_targets_": model.n_outputs_,
    }
    for name, size in sizes.items():
        value = getattr(model, name)
        if not isinstance(value, np.ndarray) or value.shape != (size,):
            raise ValueError(f"{name} must be an array of shape ({size},)")


@functools.cache
def _estimators() -> dict[str, _EstimatorSpec]:
    from sklearn.linear_model import LinearRegression, Ridge

    return {
        "bpforecast.BPRegressor": _EstimatorSpec(
            BPRegressor, frozenset({"_y_ndim", "_return_numpy"}), _check_bpregressor
        ),
        "bpforecast.BPForecaster": _EstimatorSpec(
            BPForecaster,
            frozenset({"_fit_horizon", "_exog_columns", "_interval_cache"}),
        ),
        "sklearn.linear_model.LinearRegression": _EstimatorSpec(LinearRegression),
        "sklearn.linear_model.Ridge": _EstimatorSpec(Ridge),
    }


_OBJECTS: dict[str, _ObjectSpec] = {
    "bpforecast.transforms.LogTransform": _ObjectSpec(LogTransform),
    "bpforecast.transforms.SeasonalAdjustment": _ObjectSpec(
        SeasonalAdjustment, ("season_length", "test"), ("n_", "indices_", "seasonal_")
    ),
    "bpforecast.transforms.DriftAdjustment": _ObjectSpec(
        DriftAdjustment, ("shrinkage",), ("drift_", "t_", "forecast_drift_")
    ),
}


def _class_name(obj: Any, table: dict) -> str | None:
    for name, spec in table.items():
        if type(obj) is spec.cls:
            return name
    return None


def _is_state_name(spec: _EstimatorSpec, name: str) -> bool:
    """Whether ``name`` may be set as a fitted attribute of ``spec.cls``."""
    if name in spec.private:
        return True
    return bool(_PUBLIC_FITTED.fullmatch(name)) and not hasattr(spec.cls, name)


@functools.cache
def _param_names(cls: type) -> frozenset[str]:
    return frozenset(cls().get_params(deep=False))


# ------------------------------------------------------------------ writing
class _Writer:
    """Turns a model into a JSON tree plus a list of arrays."""

    def __init__(self) -> None:
        self.arrays: list[np.ndarray] = []

    def array(self, arr: np.ndarray, where: str) -> dict:
        if arr.dtype.kind not in _ARRAY_KINDS or arr.dtype.fields is not None:
            raise TypeError(
                f"cannot save {where}: arrays of dtype {arr.dtype} are not "
                "supported by the safe format."
            )
        key = f"a{len(self.arrays)}"
        self.arrays.append(arr)
        return {
            "type": "ndarray",
            "key": key,
            "dtype": arr.dtype.str,
            "shape": list(arr.shape),
        }

    def value(self, v: Any, where: str) -> dict:
        if v is None:
            return {"type": "none"}
        if type(v) is bool:
            return {"type": "bool", "value": v}
        if type(v) is int:
            return {"type": "int", "value": v}
        if type(v) is float:
            return {"type": "float", "value": _float_to_json(v)}
        if type(v) is str:
            return {"type": "str", "value": v}
        if type(v) in (list, tuple):
            items = [self.value(x, f"{where}[{i}]") for i, x in enumerate(v)]
            return {"type": type(v).__name__, "items": items}
        if type(v) is dict:
            items = []
            for key, x in v.items():
                if type(key) not in (str, int):
                    raise TypeError(
                        f"cannot save {where}: dict keys must be str or int, got "
                        f"{type(key).__name__}."
                    )
                items.append(
                    [self.value(key, where), self.value(x, f"{where}[{key!r}]")]
                )
            return {"type": "dict", "items": items}
        if type(v) is np.ndarray:
            if v.dtype == object:
                return self.string_array(v, where)
            return self.array(v, where)
        if isinstance(v, np.generic) and type(v) is not np.object_:
            return {"type": "numpy_scalar", "value": self.array(np.asarray(v), where)}
        if type(v) is np.random.RandomState:
            return self.random_state(v, where)
        if isinstance(v, pd.Index):
            return self.index(v, where)
        if type(v) is pd.Series:
            return self.series(v, where)
        if type(v) is pd.DataFrame:
            return self.dataframe(v, where)
        if _class_name(v, _estimators()) is not None:
            return self.estimator(v, where)
        if _class_name(v, _OBJECTS) is not None:
            return self.object(v, where)
        array_like = hasattr(v, "__array_namespace__") or hasattr(v, "__dlpack__")
        if array_like and not isinstance(v, (np.ndarray, np.generic)):
            raise TypeError(
                f"cannot save {where}: it is a {type(v).__module__}."
                f"{type(v).__qualname__} array; the safe format stores numpy "
                "arrays only (refit the model on numpy data, device=None)."
            )
        raise TypeError(
            f"cannot save {where}: values of type {type(v).__module__}."
            f"{type(v).__qualname__} are not supported by the safe format "
            f"(estimators it knows: {', '.join(sorted(_estimators()))}). "
            "Use pickle or joblib for such models, and only load files you trust."
        )

    def string_array(self, arr: np.ndarray, where: str) -> dict:
        items = arr.ravel().tolist()
        if not all(type(x) is str for x in items):
            raise TypeError(
                f"cannot save {where}: object arrays are only supported when they "
                "hold strings."
            )
        return {"type": "string_array", "shape": list(arr.shape), "items": items}

    def random_state(self, rs: np.random.RandomState, where: str) -> dict:
        name, keys, pos, has_gauss, cached = rs.get_state(legacy=True)
        return {
            "type": "random_state",
            "bit_generator": str(name),
            "keys": self.array(np.asarray(keys, dtype=np.uint32), where),
            "pos": int(pos),
            "has_gauss": int(has_gauss),
            "cached_gaussian": _float_to_json(float(cached)),
        }

    def name(self, name: Any, where: str) -> dict:
        if name is not None and type(name) not in (str, int):
            raise TypeError(
                f"cannot save {where}: pandas names must be None, str or int, got "
                f"{type(name).__name__}."
            )
        return self.value(name, where)

    def values(self, values: pd.Index | pd.Series, where: str) -> dict:
        """The values of an index or a column."""
        dtype = values.dtype
        if isinstance(dtype, np.dtype) and dtype.kind in "biufcmM":
            return self.array(values.to_numpy(copy=True), where)
        is_object = isinstance(dtype, np.dtype) and dtype.kind == "O"
        if is_object or isinstance(dtype, pd.StringDtype):
            items = values.tolist()
            if all(type(x) is str for x in items):
                if is_object:
                    kind = "object"
                else:
                    kind = "str" if dtype.na_value is np.nan else "string"
                return {"type": "strings", "dtype": kind, "items": items}
        raise TypeError(
            f"cannot save {where}: pandas values of dtype {dtype} are not supported "
            "by the safe format."
        )

    def index(self, index: pd.Index, where: str) -> dict:
        name = self.name(index.name, f"{where}.name")
        if type(index) is pd.RangeIndex:
            return {
                "type": "range_index",
                "start": index.start,
                "stop": index.stop,
                "step": index.step,
                "name": name,
            }
        if type(index) is pd.DatetimeIndex:
            return self.datetime_index(index, name, where)
        if type(index) is pd.Index:
            return {
                "type": "index",
                "values": self.values(index, where),
                "name": name,
            }
        raise TypeError(
            f"cannot save {where}: {type(index).__name__} is not supported by the "
            "safe format (RangeIndex, DatetimeIndex and flat Index are)."
        )

    def datetime_index(self, index: pd.DatetimeIndex, name: dict, where: str) -> dict:
        tz = None if index.tz is None else str(index.tz)
        freq = None if index.freq is None else index.freqstr
        naive = index if tz is None else index.tz_convert("UTC").tz_localize(None)
        node = {
            "type": "datetime_index",
            "values": self.array(naive.to_numpy(copy=True), where),
            "tz": tz,
            "freq": freq,
            "name": name,
        }
        try:
            back = _datetime_index(naive.to_numpy(), tz, freq, index.name)
            ok = (
                back.equals(index)
                and back.dtype == index.dtype
                and str(back.tz) == str(index.tz)
                and back.freq == index.freq
            )
        except (TypeError, ValueError):
            ok = False
        if not ok:
            raise TypeError(
                f"cannot save {where}: its time zone {tz!r} or frequency {freq!r} "
                "cannot be written and read back exactly."
            )
        return node

    def series(self, s: pd.Series, where: str) -> dict:
        if s.attrs:
            raise TypeError(f"cannot save {where}: Series.attrs are not supported.")
        return {
            "type": "series",
            "values": self.values(s, where),
            "index": self.index(s.index, f"{where}.index"),
            "name": self.name(s.name, f"{where}.name"),
        }

    def dataframe(self, df: pd.DataFrame, where: str) -> dict:
        if df.attrs:
            raise TypeError(f"cannot save {where}: DataFrame.attrs are not supported.")
        return {
            "type": "dataframe",
            "index": self.index(df.index, f"{where}.index"),
            "columns": self.index(df.columns, f"{where}.columns"),
            "data": [
                self.values(df.iloc[:, i], f"{where}[{df.columns[i]!r}]")
                for i in range(df.shape[1])
            ],
        }

    def estimator(self, est: Any, where: str) -> dict:
        cls_name = _class_name(est, _estimators())
        spec = _estimators()[cls_name]
        params = est.get_params(deep=False)
        state = {}
        for name, value in vars(est).items():
            if name in params:
                continue
            if not _is_state_name(spec, name):
                raise TypeError(
                    f"cannot save {where}: its attribute {name!r} is not one the "
                    "safe format knows for "
                    f"{cls_name} (public fitted attributes end in one underscore; "
                    "private ones must be listed in bpforecast.io.persistence)."
                )
            state[name] = self.value(value, f"{where}.{name}")
        return {
            "type": "estimator",
            "class": cls_name,
            "params": {
                name: self.value(value, f"{where}.{name}")
                for name, value in params.items()
            },
            "state": state,
        }

    def object(self, obj: Any, where: str) -> dict:
        cls_name = _class_name(obj, _OBJECTS)
        spec = _OBJECTS[cls_name]
        attrs = vars(obj)
        unknown = set(attrs) - set(spec.params) - set(spec.state)
        if unknown or not set(spec.params) <= set(attrs):
            raise TypeError(
                f"cannot save {where}: {cls_name} has attributes {sorted(attrs)}; the "
                f"safe format knows {sorted(spec.params + spec.state)}."
            )
        return {
            "type": "object",
            "class": cls_name,
            "params": {k: self.value(attrs[k], f"{where}.{k}") for k in spec.params},
            "state": {
                k: self.value(attrs[k], f"{where}.{k}")
                for k in spec.state
                if k in attrs
            },
        }

    def npz(self) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as zf:
            for i, arr in enumerate(self.arrays):
                data = io.BytesIO()
                npy_format.write_array(data, arr, allow_pickle=False)
                zf.writestr(_zip_info(f"a{i}.npy", zipfile.ZIP_STORED), data.getvalue())
        return buffer.getvalue()


def _float_to_json(v: float) -> float | str:
    if math.isfinite(v):
        return v
    return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")


def _zip_info(name: str, compression: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
    info.compress_type = compression
    info.external_attr = 0o644 << 16
    return info


def _dump_json(obj: Any) -> bytes:
    return json.dumps(
        obj, allow_nan=False, ensure_ascii=False, separators=(",", ":"), sort_keys=True
    ).encode("utf-8")


def _versions() -> dict:
    import sklearn

    return {
        "bpforecast": __version__,
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "scikit-learn": sklearn.__version__,
    }


def save(model: Any, path: PathOrFile) -> None:
    """Save a model in bpforecast's safe file format (no pickle).

    The file holds the constructor parameters and every fitted attribute:
    numbers and strings as JSON, arrays in an ``.npz`` member, with SHA-256
    checksums and a format version (see the module docstring). Loading it
    cannot run code, and the loaded model predicts bit-identically. The
    model itself is not modified. A path is written atomically (through a
    temporary file in the same folder), so an interrupted save never leaves
    a half-written model behind.

    Parameters
    ----------
    model : BPRegressor or BPForecaster
        Fitted or not. A forecaster's ``regressor`` and fitted ``models_``
        must be ``BPRegressor``, ``LinearRegression`` or ``Ridge``.
    path : str, path-like or binary file object
        Where to write. Any suffix; ``.bpf`` is a suggestion.

    Raises
    ------
    TypeError
        When the model (or something it holds) is not a class or value the
        safe format knows; pickle or joblib can save those.

    See Also
    --------
    load

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> from bpforecast import BPForecaster, BPRegressor
    >>> from bpforecast.io.persistence import load, save
    >>> y = np.sin(np.arange(80) / 3) + 2
    >>> net = BPRegressor((4,), epochs=20)
    >>> f = BPForecaster(net, lags=4, n_models=1, random_state=0).fit(y)
    >>> path = os.path.join(tempfile.mkdtemp(), "forecaster.bpf")
    >>> save(f, path)
    >>> load(path).predict(3).equals(f.predict(3))
    True
    """
    if _class_name(model, _estimators()) is None:
        raise TypeError(
            "save() takes a BPRegressor or BPForecaster (or a LinearRegression/"
            f"Ridge); got {type(model).__qualname__}."
        )
    writer = _Writer()
    tree = writer.value(model, type(model).__name__)
    model_json = _dump_json({"model": tree, "versions": _versions()})
    arrays = writer.npz()
    header = _dump_json(
        {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "sha256": {
                _MODEL: hashlib.sha256(model_json).hexdigest(),
                _ARRAYS: hashlib.sha256(arrays).hexdigest(),
            },
        }
    )
    if isinstance(path, (str, os.PathLike)):
        _write_atomic(os.fspath(path), header, model_json, arrays)
    else:
        _write_zip(path, header, model_json, arrays)


def _write_zip(fh: IO[bytes], header: bytes, model_json: bytes, arrays: bytes) -> None:
    with zipfile.ZipFile(fh, "w") as zf:
        for name, data in zip(_MEMBERS, (header, model_json, arrays), strict=True):
            zf.writestr(_zip_info(name, zipfile.ZIP_DEFLATED), data)


def _write_atomic(path: str, header: bytes, model_json: bytes, arrays: bytes) -> None:
    tmp = f"{path}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            _write_zip(fh, header, model_json, arrays)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


# ------------------------------------------------------------------ reading
class _Refused(ValueError):
    """A file that is not exactly a valid model file (message without path)."""


def _expect(node: Any, keys: set[str], where: str) -> dict:
    if type(node) is not dict:
        raise _Refused(f"{where}: expected a JSON object, got {type(node).__name__}")
    if set(node) != keys:
        raise _Refused(
            f"{where}: unexpected keys {sorted(node)} for a {node.get('type')!r} "
            f"value (expected {sorted(keys)})"
        )
    return node


def _typed(value: Any, types: tuple[type, ...], where: str) -> Any:
    if type(value) not in types:
        names = "/".join(t.__name__ for t in types)
        raise _Refused(f"{where}: expected {names}, got {type(value).__name__}")
    return value


def _float_from_json(value: Any, where: str) -> float:
    if type(value) is str:
        if value in ("nan", "inf", "-inf"):
            return float(value)
        raise _Refused(f"{where}: {value!r} is not a float")
    return float(_typed(value, (float, int), where))


# Time-zone names as the tz database spells them ("UTC", "Europe/Berlin").
# Paths and dateutil's "dateutil/<file>" form are refused: a model file must
# not make the loader open files of its choosing.
_TZ_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_+\-]*(?:/[A-Za-z0-9_+\-]+)*")


def _datetime_index(values: np.ndarray, tz, freq, name) -> pd.DatetimeIndex:
    index = pd.DatetimeIndex(values, name=name)
    if tz is not None:
        if not _TZ_NAME.fullmatch(tz) or tz.startswith("dateutil/"):
            raise ValueError(f"unsupported time zone name {tz!r}")
        index = index.tz_localize("UTC").tz_convert(tz)
    if freq is not None:
        index = pd.DatetimeIndex(index, freq=freq)
    return index


class _Reader:
    """Rebuilds values from the JSON tree, taking arrays from the npz."""

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        self.arrays = arrays
        self.used: set[str] = set()

    def value(self, node: Any, where: str) -> Any:
        if type(node) is not dict or type(node.get("type")) is not str:
            raise _Refused(f"{where}: expected a typed value")
        kind = node["type"]
        if kind == "none":
            _expect(node, {"type"}, where)
            return None
        if kind in ("bool", "int", "str"):
            _expect(node, {"type", "value"}, where)
            types = {"bool": (bool,), "int": (int,), "str": (str,)}[kind]
            return _typed(node["value"], types, where)
        if kind == "float":
            _expect(node, {"type", "value"}, where)
            return _float_from_json(node["value"], where)
        if kind in ("list", "tuple"):
            _expect(node, {"type", "items"}, where)
            items = _typed(node["items"], (list,), where)
            out = [self.value(x, f"{where}[{i}]") for i, x in enumerate(items)]
            return out if kind == "list" else tuple(out)
        if kind == "dict":
            _expect(node, {"type", "items"}, where)
            out = {}
            for pair in _typed(node["items"], (list,), where):
                if type(pair) is not list or len(pair) != 2:
                    raise _Refused(f"{where}: dict items must be [key, value] pairs")
                key = self.value(pair[0], where)
                if type(key) not in (str, int) or key in out:
                    raise _Refused(f"{where}: bad or repeated dict key {key!r}")
                out[key] = self.value(pair[1], f"{where}[{key!r}]")
            return out
        if kind == "ndarray":
            return self.array(node, where)
        if kind == "numpy_scalar":
            _expect(node, {"type", "value"}, where)
            arr = self.array(node["value"], where)
            if arr.ndim != 0:
                raise _Refused(f"{where}: a numpy scalar must be a 0-d array")
            return arr[()]
        if kind == "string_array":
            _expect(node, {"type", "shape", "items"}, where)
            shape = self.shape(node["shape"], where)
            items = _typed(node["items"], (list,), where)
            if not all(type(x) is str for x in items) or len(items) != math.prod(shape):
                raise _Refused(f"{where}: string_array items do not match its shape")
            out = np.empty(len(items), dtype=object)
            out[:] = items
            return out.reshape(shape)
        if kind == "random_state":
            return self.random_state(node, where)
        if kind in ("range_index", "datetime_index", "index"):
            return self.index(node, where)
        if kind == "series":
            _expect(node, {"type", "values", "index", "name"}, where)
            index = self.index(node["index"], f"{where}.index")
            values = self.values(node["values"], where)
            if len(values) != len(index):
                raise _Refused(f"{where}: values and index differ in length")
            return pd.Series(values, index=index, name=self.name(node["name"], where))
        if kind == "dataframe":
            return self.dataframe(node, where)
        if kind == "estimator":
            return self.estimator(node, where)
        if kind == "object":
            return self.object(node, where)
        raise _Refused(f"{where}: unknown value type {kind!r}")

    @staticmethod
    def shape(value: Any, where: str) -> tuple[int, ...]:
        dims = _typed(value, (list,), where)
        if not all(type(d) is int and d >= 0 for d in dims):
            raise _Refused(f"{where}: bad array shape {dims!r}")
        return tuple(dims)

    def array(self, node: Any, where: str) -> np.ndarray:
        _expect(node, {"type", "key", "dtype", "shape"}, where)
        if node["type"] != "ndarray":
            raise _Refused(f"{where}: expected an array")
        key = _typed(node["key"], (str,), where)
        if key not in self.arrays:
            raise _Refused(f"{where}: array {key!r} is missing from {_ARRAYS}")
        if key in self.used:
            raise _Refused(f"{where}: array {key!r} is referenced twice")
        self.used.add(key)
        arr = self.arrays[key]
        shape = self.shape(node["shape"], where)
        if arr.dtype.str != node["dtype"] or arr.shape != shape:
            raise _Refused(
                f"{where}: array {key!r} has dtype {arr.dtype.str} and shape "
                f"{arr.shape}; the model file records {node['dtype']!r} and {shape}"
            )
        return arr

    def random_state(self, node: dict, where: str) -> np.random.RandomState:
        keys = {"type", "bit_generator", "keys", "pos", "has_gauss", "cached_gaussian"}
        _expect(node, keys, where)
        arr = self.array(node["keys"], where)
        pos = _typed(node["pos"], (int,), where)
        has_gauss = _typed(node["has_gauss"], (int,), where)
        if (
            node["bit_generator"] != "MT19937"
            or arr.dtype != np.uint32
            or arr.shape != (624,)
            or not 0 <= pos <= 624
            or has_gauss not in (0, 1)
        ):
            raise _Refused(f"{where}: not a valid RandomState state")
        cached = _float_from_json(node["cached_gaussian"], where)
        rs = np.random.RandomState()
        rs.set_state(("MT19937", arr, pos, has_gauss, cached))
        return rs

    def name(self, node: Any, where: str) -> Any:
        value = self.value(node, f"{where}.name")
        if value is not None and type(value) not in (str, int):
            raise _Refused(f"{where}: a pandas name must be None, str or int")
        return value

    def values(self, node: Any, where: str) -> Any:
        """Values of an index or a column: an array, or strings with a dtype."""
        if type(node) is dict and node.get("type") == "strings":
            _expect(node, {"type", "dtype", "items"}, where)
            items = _typed(node["items"], (list,), where)
            if node["dtype"] not in _STRING_DTYPES or not all(
                type(x) is str for x in items
            ):
                raise _Refused(f"{where}: bad string values")
            return pd.array(items, dtype=node["dtype"])
        arr = self.array(node, where)
        if arr.ndim != 1 or arr.dtype.kind not in "biufcmM":
            raise _Refused(f"{where}: pandas values must be a 1-d numeric array")
        return arr

    def index(self, node: Any, where: str) -> pd.Index:
        kind = node.get("type") if type(node) is dict else None
        if kind == "range_index":
            _expect(node, {"type", "start", "stop", "step", "name"}, where)
            start, stop, step = (
                _typed(node[k], (int,), where) for k in ("start", "stop", "step")
            )
            if step == 0:
                raise _Refused(f"{where}: a RangeIndex step cannot be 0")
            return pd.RangeIndex(start, stop, step, name=self.name(node["name"], where))
        if kind == "datetime_index":
            _expect(node, {"type", "values", "tz", "freq", "name"}, where)
            values = self.array(node["values"], where)
            tz = _typed(node["tz"], (str, type(None)), where)
            freq = _typed(node["freq"], (str, type(None)), where)
            if values.ndim != 1 or values.dtype.kind != "M":
                raise _Refused(f"{where}: a DatetimeIndex needs datetime64 values")
            return _datetime_index(values, tz, freq, self.name(node["name"], where))
        if kind == "index":
            _expect(node, {"type", "values", "name"}, where)
            values = self.values(node["values"], where)
            return pd.Index(values, name=self.name(node["name"], where))
        raise _Refused(f"{where}: expected a pandas index")

    def dataframe(self, node: dict, where: str) -> pd.DataFrame:
        _expect(node, {"type", "index", "columns", "data"}, where)
        index = self.index(node["index"], f"{where}.index")
        columns = self.index(node["columns"], f"{where}.columns")
        data = _typed(node["data"], (list,), where)
        if len(data) != len(columns):
            raise _Refused(
                f"{where}: {len(data)} columns of data, {len(columns)} names"
            )
        values = [self.values(col, f"{where}[{i}]") for i, col in enumerate(data)]
        if any(len(v) != len(index) for v in values):
            raise _Refused(f"{where}: a column's length differs from the index's")
        df = pd.DataFrame(dict(enumerate(values)), index=index)
        df.columns = columns
        return df

    def estimator(self, node: dict, where: str) -> Any:
        _expect(node, {"type", "class", "params", "state"}, where)
        cls_name = node["class"]
        spec = _estimators().get(cls_name) if type(cls_name) is str else None
        if spec is None:
            raise _Refused(
                f"{where}: class {cls_name!r} is not on the allow-list "
                f"({', '.join(sorted(_estimators()))})"
            )
        params = _typed(node["params"], (dict,), where)
        state = _typed(node["state"], (dict,), where)
        allowed = _param_names(spec.cls)
        unknown = sorted(set(params) - allowed)
        if unknown:
            raise _Refused(f"{where}: unexpected parameters {unknown} for {cls_name}")
        est = spec.cls(**{k: self.value(v, f"{where}.{k}") for k, v in params.items()})
        for name, value in state.items():
            if name in allowed or not _is_state_name(spec, name):
                raise _Refused(f"{where}: unexpected attribute {name!r} for {cls_name}")
            setattr(est, name, self.value(value, f"{where}.{name}"))
        if spec.check is not None:
            try:
                spec.check(est)
            except (AttributeError, KeyError, IndexError, TypeError, ValueError) as exc:
                raise _Refused(f"{where}: inconsistent fitted state: {exc}") from None
        return est

    def object(self, node: dict, where: str) -> Any:
        _expect(node, {"type", "class", "params", "state"}, where)
        cls_name = node["class"]
        spec = _OBJECTS.get(cls_name) if type(cls_name) is str else None
        if spec is None:
            raise _Refused(f"{where}: class {cls_name!r} is not on the allow-list")
        params = _typed(node["params"], (dict,), where)
        state = _typed(node["state"], (dict,), where)
        if set(params) != set(spec.params) or not set(state) <= set(spec.state):
            raise _Refused(f"{where}: unexpected attributes for {cls_name}")
        obj = spec.cls(**{k: self.value(v, f"{where}.{k}") for k, v in params.items()})
        for name, value in state.items():
            setattr(obj, name, self.value(value, f"{where}.{name}"))
        return obj


def _strict_json(data: bytes, member: str) -> Any:
    def pairs(items: list) -> dict:
        out = dict(items)
        if len(out) != len(items):
            raise _Refused(f"{member}: repeated keys in a JSON object")
        return out

    def constant(name: str) -> Any:
        raise _Refused(f"{member}: {name} is not valid JSON")

    try:
        return json.loads(
            data.decode("utf-8"), object_pairs_hook=pairs, parse_constant=constant
        )
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise _Refused(f"{member} is not valid JSON ({exc})") from None


def _npy_header_dtype(fh: IO[bytes]) -> np.dtype:
    """The dtype in an ``.npy`` header (format 1.0 or 2.0, as numpy writes)."""
    version = npy_format.read_magic(fh)
    if version == (1, 0):
        _, _, dtype = npy_format.read_array_header_1_0(fh)
    elif version == (2, 0):
        _, _, dtype = npy_format.read_array_header_2_0(fh)
    else:
        raise _Refused(f"{_ARRAYS}: unsupported .npy version {version}")
    return dtype


def _read_arrays(data: bytes) -> dict[str, np.ndarray]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise _Refused(f"{_ARRAYS} is not an npz archive") from None
    arrays = {}
    with zf:
        names = zf.namelist()
        if len(set(names)) != len(names):
            raise _Refused(f"{_ARRAYS} has repeated entries")
        for name in names:
            match = re.fullmatch(r"(a(?:0|[1-9][0-9]*))\.npy", name)
            if match is None:
                raise _Refused(f"{_ARRAYS}: unexpected entry {name!r}")
            try:
                with zf.open(name) as fh:  # the header first: refuse before reading
                    dtype = _npy_header_dtype(fh)
                if dtype.hasobject:
                    raise _Refused(
                        f"{_ARRAYS}: entry {name!r} is an object array, which would "
                        "need pickle to load; refused"
                    )
                if dtype.kind not in _ARRAY_KINDS or dtype.fields is not None:
                    raise _Refused(f"{_ARRAYS}: entry {name!r} has dtype {dtype}")
                with zf.open(name) as fh:
                    arr = npy_format.read_array(fh, allow_pickle=False)
            except _Refused:
                raise
            except (ValueError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
                raise _Refused(
                    f"{_ARRAYS}: entry {name!r} is corrupted ({exc})"
                ) from None
            arrays[match.group(1)] = arr
    return arrays


def _read_members(zf: zipfile.ZipFile) -> tuple[dict, bytes, bytes]:
    names = zf.namelist()
    if sorted(names) != sorted(_MEMBERS):
        raise _Refused(
            f"not a {FORMAT_NAME} file: it holds {names}, expected {list(_MEMBERS)}"
        )
    if zf.getinfo(_HEADER).file_size > _MAX_HEADER_BYTES:
        raise _Refused(f"{_HEADER} is too large")
    header = _strict_json(zf.read(_HEADER), _HEADER)
    if type(header) is not dict or header.get("format") != FORMAT_NAME:
        raise _Refused(f"not a {FORMAT_NAME} file ({_HEADER} names another format)")
    version = header.get("version")
    if type(version) is not int or version != FORMAT_VERSION:
        raise _Refused(
            f"unsupported format version {version!r}: this bpforecast reads version "
            f"{FORMAT_VERSION} (a newer bpforecast may have written the file)"
        )
    _expect(header, {"format", "version", "sha256"}, _HEADER)
    digests = _expect(header["sha256"], {_MODEL, _ARRAYS}, f"{_HEADER} sha256")
    model_json, arrays = zf.read(_MODEL), zf.read(_ARRAYS)
    for member, data in ((_MODEL, model_json), (_ARRAYS, arrays)):
        if hashlib.sha256(data).hexdigest() != digests[member]:
            raise _Refused(
                f"checksum mismatch for {member}: the file was altered or corrupted"
            )
    return header, model_json, arrays


def load(path: PathOrFile) -> Any:
    """Load a model written by :func:`save`; never runs code from the file.

    Arrays are read with ``allow_pickle=False``; only allow-listed classes are
    rebuilt, through their constructors, and only known kinds of fitted
    attributes are set. The model predicts bit-identically to the one saved.

    Parameters
    ----------
    path : str, path-like or binary file object

    Returns
    -------
    BPRegressor or BPForecaster
        (or LinearRegression/Ridge if one was saved on its own).

    Raises
    ------
    ValueError
        The file is truncated or corrupted, fails its checksums, is another
        format or an unknown format version, or holds anything but the
        expected classes, attributes, values and arrays. The message names
        the file and the problem.
    FileNotFoundError
        There is no such file.

    See Also
    --------
    save

    Examples
    --------
    >>> import io
    >>> import numpy as np
    >>> from bpforecast import BPRegressor
    >>> from bpforecast.io.persistence import load, save
    >>> X = np.arange(30.0).reshape(15, 2)
    >>> model = BPRegressor((3,), epochs=5, random_state=0).fit(X, X[:, 0])
    >>> buffer = io.BytesIO()
    >>> save(model, buffer)
    >>> load(io.BytesIO(buffer.getvalue())).n_features_in_
    2
    >>> load(io.BytesIO(buffer.getvalue()[:100]))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: <file object>: cannot read the model file: it is truncated...
    """
    if isinstance(path, (str, os.PathLike)):
        # Opened here, so that a missing or unreadable file raises the usual
        # OSError, and every later error means a bad file.
        with open(path, "rb") as fh:
            return _load(fh, os.fspath(path))
    return _load(path, "<file object>")


def _load(fh: IO[bytes], label: str) -> Any:
    try:
        with zipfile.ZipFile(fh) as zf:
            _, model_json, arrays_data = _read_members(zf)
    except _Refused as exc:
        raise ValueError(f"{label}: {exc}") from None
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        EOFError,
        zlib.error,
        struct.error,
        NotImplementedError,  # e.g. a compression method zipfile lacks
        OSError,  # e.g. a seek to a negative offset in a corrupted file
        ValueError,
    ) as exc:
        raise ValueError(
            f"{label}: cannot read the model file: it is truncated or corrupted, "
            f"or not a bpforecast model file ({exc})"
        ) from None
    try:
        document = _strict_json(model_json, _MODEL)
        _expect(document, {"model", "versions"}, _MODEL)
        reader = _Reader(_read_arrays(arrays_data))
        node = document["model"]
        if type(node) is not dict or node.get("type") != "estimator":
            raise _Refused(f"{_MODEL}: the top-level value must be an estimator")
        model = reader.value(node, "model")
        unused = sorted(set(reader.arrays) - reader.used)
        if unused:
            raise _Refused(f"{_ARRAYS} holds arrays the model does not use: {unused}")
    except _Refused as exc:
        raise ValueError(f"{label}: {exc}") from None
    except (
        TypeError,
        ValueError,
        KeyError,
        IndexError,
        AttributeError,
        OverflowError,
        RecursionError,
        EOFError,
        NotImplementedError,
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        struct.error,
    ) as exc:  # raised by numpy, pandas or zipfile on a crafted file
        raise ValueError(f"{label}: invalid model file ({exc})") from None
    return model
