"""Reading and writing: the pickle-free model format.

Examples
--------
>>> from bpforecast.io import load, save
>>> callable(load) and callable(save)
True
"""

from .persistence import load, save

__all__ = ["load", "save"]
