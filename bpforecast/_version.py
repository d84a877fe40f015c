"""The package version, in a module of its own so that anything may import it.

Examples
--------
>>> from bpforecast._version import __version__
>>> __version__.count(".")
2
"""

__version__ = "0.5.0"
