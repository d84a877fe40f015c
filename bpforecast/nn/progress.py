"""Training progress display, like MATLAB's training window (``verbose=True``).

With tqdm installed (``pip install 'bpforecast[progress]'``) a progress bar
shows the epoch, training error, validation checks, gradient and learning
rate (or mu). Without it, a line is printed every ``show`` epochs, as
MATLAB's ``trainParam.show`` does on the command line.

Examples
--------
>>> from bpforecast.nn.progress import TrainingProgress
>>> p = TrainingProgress(epochs=2, solver="traingdx", use_tqdm=False, show=1)
>>> p(0, {"perf": 1.0, "vperf": 2.0, "tperf": 2.0, "lr": 0.01,
...       "gradient": 0.5, "val_fail": 0})
Epoch 0/2  perf 1  vperf 2  val_fail 0  gradient 0.5  lr 0.01
>>> p.close("epochs")
Training stopped: epochs
"""

from __future__ import annotations


class TrainingProgress:
    """A callback for :func:`bpforecast.nn.training.train` that shows progress.

    Parameters
    ----------
    epochs : int
        Maximum number of epochs (the bar's length).
    solver : str
        Shown in the description; for ``'trainlm'`` the rate is labelled mu.
    use_tqdm : bool or None, default=None
        None uses tqdm when it is installed.
    show : int, default=25
        Print a line every ``show`` epochs when tqdm is not used.

    Examples
    --------
    >>> from bpforecast.nn.progress import TrainingProgress
    >>> TrainingProgress(10, "trainlm", use_tqdm=False).rate_name
    'mu'
    """

    def __init__(
        self, epochs: int, solver: str, use_tqdm: bool | None = None, show: int = 25
    ) -> None:
        self.epochs = epochs
        self.solver = solver
        self.show = max(1, int(show))
        self.rate_name = "mu" if solver == "trainlm" else "lr"
        self._bar = None
        if use_tqdm is None or use_tqdm:
            try:
                from tqdm.auto import tqdm
            except ImportError:
                if use_tqdm:
                    raise ImportError(
                        "progress bar needs tqdm: pip install 'bpforecast[progress]'"
                    ) from None
            else:
                self._bar = tqdm(total=epochs, desc=solver, unit="epoch", leave=True)

    def __call__(self, epoch: int, record: dict) -> None:
        """Show one epoch's record."""
        values = {
            "perf": f"{record['perf']:.4g}",
            "vperf": f"{record['vperf']:.4g}",
            "val_fail": str(record["val_fail"]),
            "gradient": f"{record['gradient']:.3g}",
            self.rate_name: f"{record['lr']:.3g}",
        }
        if self._bar is not None:
            if epoch > 0:
                self._bar.update(1)
            self._bar.set_postfix(values, refresh=False)
        elif epoch % self.show == 0:
            text = "  ".join(f"{k} {v}" for k, v in values.items())
            print(f"Epoch {epoch}/{self.epochs}  {text}")

    def close(self, stop_reason: str) -> None:
        """Close the bar and say why training stopped."""
        if self._bar is not None:
            self._bar.close()
        print(f"Training stopped: {stop_reason}")
