"""The network math: activations, initialisation, architecture, forward and
backward passes, training rules, the epoch loop and the training record.

Pure functions and small state objects over arrays of any array-API
namespace; nothing here imports pandas or scikit-learn.

Examples
--------
>>> from bpforecast.nn.network import Architecture
>>> Architecture.build(2, (3,), 1, "tansig", "purelin").n_params
13
"""
