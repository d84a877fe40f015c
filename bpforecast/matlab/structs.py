"""MATLAB structs with fixed fields: ``trainParam``, ``divideParam``, layers, ports."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .names import DIVIDE_DEFAULTS, TRAIN_DEFAULTS


class _Struct:
    """A MATLAB struct with a fixed set of fields: typos raise AttributeError."""

    _kind = "struct"

    def __init__(self, owner: str, values: dict[str, Any]) -> None:
        object.__setattr__(self, "_owner", owner)
        object.__setattr__(self, "_values", dict(values))

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        values = object.__getattribute__(self, "_values")
        if name in values:
            return values[name]
        raise AttributeError(self._unknown(name))

    def __setattr__(self, name: str, value: Any) -> None:
        if name not in self._values:
            raise AttributeError(self._unknown(name))
        self._values[name] = value

    def _unknown(self, name: str) -> str:
        fields = ", ".join(self._values) or "none"
        return (
            f"{self._kind} of {self._owner!r} has no field {name!r} "
            f"(its fields: {fields})."
        )

    def __dir__(self) -> list[str]:
        return [*super().__dir__(), *self._values]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _Struct):
            return NotImplemented
        return self._owner == other._owner and self._values == other._values

    def to_dict(self) -> dict[str, Any]:
        """The fields as a plain dict (a copy).

        Examples
        --------
        >>> from bpforecast.matlab import TrainParam
        >>> TrainParam("trainlm").to_dict()["mu"]
        0.001
        """
        return dict(self._values)

    def __repr__(self) -> str:
        width = max((len(k) for k in self._values), default=0)
        lines = [f"{self._kind} ({self._owner}):"]
        lines += [f"  {k:>{width}}: {v!r}" for k, v in self._values.items()]
        return "\n".join(lines)


class TrainParam(_Struct):
    """``net.trainParam``: the training function's parameters, MATLAB's names.

    Setting ``net.trainFcn`` resets it to that function's defaults
    (:data:`TRAIN_DEFAULTS`), as in MATLAB. ``show``, ``showWindow`` and
    ``showCommandLine`` are accepted and ignored.

    Examples
    --------
    >>> from bpforecast.matlab import TrainParam
    >>> p = TrainParam("traingdx")
    >>> p.lr, p.mc, p.max_fail
    (0.01, 0.9, 6)
    >>> p.epochs = 200
    >>> p.epoch = 200
    Traceback (most recent call last):
    ...
    AttributeError: trainParam of 'traingdx' has no field 'epoch' (its fields: ...
    >>> q = TrainParam("trainscg")
    >>> q.sigma, q.lambda_, q.min_grad
    (5e-05, 5e-07, 1e-06)
    """

    _kind = "trainParam"

    def __init__(self, trainFcn: str = "trainlm") -> None:  # noqa: N803
        super().__init__(trainFcn, TRAIN_DEFAULTS[trainFcn])

    # trainscg's ``lambda`` is a Python keyword: ``lambda_`` reaches it too
    # (``getattr(p, "lambda")`` works as well).
    def __getattr__(self, name: str) -> Any:
        return super().__getattr__("lambda" if name == "lambda_" else name)

    def __setattr__(self, name: str, value: Any) -> None:
        super().__setattr__("lambda" if name == "lambda_" else name, value)


class DivideParam(_Struct):
    """``net.divideParam``: ratios, or indices for ``divideind`` (0-based).

    Examples
    --------
    >>> from bpforecast.matlab import DivideParam
    >>> DivideParam("divideblock").trainRatio
    0.7
    >>> DivideParam("divideind").to_dict()
    {'trainInd': [], 'valInd': [], 'testInd': []}
    """

    _kind = "divideParam"

    def __init__(self, divideFcn: str = "dividerand") -> None:  # noqa: N803
        super().__init__(divideFcn, DIVIDE_DEFAULTS[divideFcn])


@dataclass
class Layer:
    """One entry of ``net.layers``: ``size``, ``transferFcn``, ``initFcn``.

    The output layer's size is set from the targets when the network is
    trained (it is 0 before, as for an unconfigured MATLAB network).

    Examples
    --------
    >>> from bpforecast.matlab import Layer
    >>> Layer(10)
    Layer(size=10, transferFcn='tansig', initFcn='initnw', name='Hidden')
    """

    size: int
    transferFcn: str = "tansig"  # noqa: N815
    initFcn: str = "initnw"  # noqa: N815
    name: str = "Hidden"


@dataclass
class Port:
    """One entry of ``net.inputs`` or ``net.outputs``: its ``processFcns``.

    Examples
    --------
    >>> from bpforecast.matlab import Port
    >>> Port().processFcns
    ['removeconstantrows', 'mapminmax']
    """

    processFcns: list[str] = field(  # noqa: N815
        default_factory=lambda: ["removeconstantrows", "mapminmax"]
    )
    name: str = "Input"
    feedbackMode: str = "none"  # noqa: N815
