"""Reading and writing: the pickle-free model format, CSV series.

Examples
--------
>>> from bpforecast.io import load, save
>>> callable(load) and callable(save)
True
"""

from .csv import load_series
from .persistence import load, save

__all__ = ["load", "load_series", "save"]
