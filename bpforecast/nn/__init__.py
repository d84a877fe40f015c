"""The network math: activations, initialisation, architecture, passes, rules,
the epoch loop and the training record.

Pure functions and small state objects over arrays of any array-API
namespace; nothing here imports pandas or scikit-learn. The layout:

* ``architecture``: :class:`~bpforecast.nn.architecture.Architecture` and the
  flat parameter vector (``pack``/``unpack``);
* ``network``: forward pass, ``perf`` and back-propagation of one network
  (array API);
* ``passes``: the protocol the loop trains through, with three
  implementations of the same math: ``passes.ArrayAPIPasses`` (any
  namespace), ``feature_major.FeatureMajorLoopPasses`` (numpy fast path) and
  ``stacked.StackedPasses`` (K networks in batched products);
* ``levenberg_marquardt``: the Jacobian (and the ``TrainLM`` solver object);
* ``rules``: traingd, traingdm, traingda, traingdx (``GradientDescent``) and
  trainlm (``LevenbergMarquardt``), each written once for K networks;
* ``loop``: the one epoch loop and the one stopping function; mini-batches
  are a feeder of that loop;
* ``record``: history columns and ``TrainingResult``;
* ``training``: the entry points ``train`` (one network) and
  ``train_stacked`` (K); ``batched.train_batched`` and the ``solvers``
  objects are their historical names.

Examples
--------
>>> from bpforecast.nn.network import Architecture
>>> Architecture.build(2, (3,), 1, "tansig", "purelin").n_params
13
"""
