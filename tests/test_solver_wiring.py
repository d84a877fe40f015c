"""The solver names 'trainbr', 'trainscg', 'trainrp' everywhere the others work.

BPRegressor (defaults, validation of the new parameters, full-batch only,
stacked restarts, progress, Ctrl-C, save/load), the MATLAB layer
(``trainFcn``, ``trainParam`` names, stop texts), the CLI's ``--solver`` and
the array-API path (array-api-strict equal to numpy to 1e-10).
"""

import numpy as np
import pytest

import bpforecast
from bpforecast import BPRegressor
from bpforecast import matlab as nn
from bpforecast.cli import main

NEW = ["trainscg", "trainrp"]


def data(n=120, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, (n, 2))
    return X, np.sin(2 * X[:, 0]) + X[:, 1] ** 2


@pytest.mark.parametrize("solver", NEW)
def test_regressor_fits_and_records_the_rule_state(solver):
    X, y = data()
    model = BPRegressor((6,), solver=solver, random_state=0).fit(X, y)
    assert model.score(X, y) > 0.9
    assert model.stop_reason_ in {"max_fail", "min_grad", "epochs"}
    lr = model.history_["lr"].to_numpy()
    first = 5e-7 if solver == "trainscg" else 0.07
    assert lr[0] == first and np.all(lr > 0)


def test_default_parameters_resolve_per_solver():
    m = BPRegressor()
    assert (m.min_grad, m.mu, m.max_fail, m.division) == (None, None, 6, "auto")
    expect = {"traingdx": 1e-5, "trainlm": 1e-5, "trainscg": 1e-6, "trainrp": 1e-5,
              "trainbr": 1e-7}  # fmt: skip
    for solver, min_grad in expect.items():
        m = BPRegressor(solver=solver)
        assert m._criteria().min_grad == min_grad
        assert m._division() == (None if solver == "trainbr" else "block")
    assert BPRegressor(solver="trainlm")._default("mu") == 0.001
    assert BPRegressor(solver="trainbr")._default("mu") == 0.005
    assert BPRegressor(min_grad=0.5, solver="trainscg")._criteria().min_grad == 0.5


@pytest.mark.parametrize(
    ("param", "value"),
    [("mu", -1.0), ("delt_dec", 1.0), ("delt_dec", 0.0), ("sigma", 0.0),
     ("sigma", -1e-5), ("lambda0", 0.0), ("delt_inc", 0.9), ("delta0", -0.1),
     ("deltamax", 0.0), ("max_fail", -1)],
)  # fmt: skip
def test_bad_values_name_the_parameter(param, value):
    X, y = data(30)
    with pytest.raises(ValueError, match=param):
        BPRegressor(solver="trainscg", **{param: value}).fit(X, y)


@pytest.mark.parametrize("solver", [*NEW, "trainbr"])
def test_full_batch_only(solver):
    X, y = data(30)
    with pytest.raises(ValueError, match="full batch"):
        BPRegressor(solver=solver, batch_size=8).fit(X, y)


def test_max_fail_zero_turns_validation_stopping_off():
    X, y = data()
    m = BPRegressor((4,), solver="trainrp", max_fail=0, epochs=40, random_state=0)
    assert m.fit(X, y).stop_reason_ == "epochs"


@pytest.mark.parametrize("solver", NEW)
def test_stacked_auto_restarts_and_save_load(solver, tmp_path):
    X, y = data(60)
    model = BPRegressor((3,), solver=solver, n_init=8, epochs=30, random_state=0)
    assert model._use_batched(X, y)
    model.fit(X, y)
    path = tmp_path / "model.bpf"
    bpforecast.save(model, path)
    loaded = bpforecast.load(path)
    assert loaded.solver == solver
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))


@pytest.mark.parametrize("solver", NEW)
def test_progress_and_ctrl_c(solver, monkeypatch, capsys):
    X, y = data()
    rule = {"trainscg": "ScaledConjugateGradient", "trainrp": "ResilientBackprop"}
    cls = getattr(bpforecast.nn.rules, rule[solver])
    real = cls.propose
    calls = {"n": 0}

    def interrupting(self, *args):
        calls["n"] += 1
        if calls["n"] > 12:
            raise KeyboardInterrupt
        return real(self, *args)

    monkeypatch.setattr(cls, "propose", interrupting)
    m = BPRegressor((4,), solver=solver, max_fail=1000, verbose=True, random_state=0)
    m.fit(X, y)
    assert m.stop_reason_ == "user" and 0 < m.n_epochs_ <= 12
    assert np.all(np.isfinite(m.predict(X)))
    capsys.readouterr()


@pytest.mark.parametrize("solver", NEW)
def test_array_api_strict_equals_numpy(solver):
    xp = pytest.importorskip("array_api_strict")
    X, y = data(80)
    # trainscg: over the epochs where its rounding floor stays below 1e-10
    # (its finite differences amplify the different summation order).
    epochs = 6 if solver == "trainscg" else 40
    kw = dict(hidden_layer_sizes=(4,), solver=solver, epochs=epochs, random_state=0)
    ref = BPRegressor(**kw).fit(X, y)
    got = BPRegressor(**kw).fit(xp.asarray(X), xp.asarray(y))
    for key in ("perf", "vperf", "lr"):
        np.testing.assert_allclose(got.history_[key], ref.history_[key], rtol=1e-10)
    # Predictions of order 1: 1e-10 absolute (trainscg's weights carry its
    # finite difference's amplified rounding, ~1e-11 after 6 epochs).
    np.testing.assert_allclose(np.asarray(got.predict(xp.asarray(X))),
                               ref.predict(X), rtol=1e-10, atol=1e-10)  # fmt: skip


def test_matlab_layer_train_functions():
    x = np.linspace(-1, 1, 41)[None, :]
    t = np.sin(2 * np.pi * x)
    net = nn.feedforwardnet(5, "trainscg")
    assert (net.trainParam.sigma, net.trainParam.lambda_) == (5e-5, 5e-7)
    assert getattr(net.trainParam, "lambda") == 5e-7 and net.trainParam.min_grad == 1e-6
    net.trainParam.lambda_ = 1e-6
    params = net.regressor_params()
    assert params["lambda0"] == 1e-6 and params["sigma"] == 5e-5
    nn.rng(0)
    net, tr = nn.train(net, x, t)
    assert tr.trainFcn == "trainscg" and tr.stop in nn.names.STOP_MESSAGES.values()
    assert tr.lr is None and tr.mu is None
    net.trainFcn = "trainrp"
    p = net.trainParam
    assert (p.delt_inc, p.delt_dec, p.delta0, p.deltamax, p.min_grad) == (
        1.2, 0.5, 0.07, 50.0, 1e-5)  # fmt: skip
    net.trainParam.epochs = 20
    net, tr = nn.train(net, x, t)
    assert tr.num_epochs <= 20 and tr.trainParam["delt_dec"] == 0.5
    net.trainFcn = "trainbr"
    p = net.trainParam
    assert (p.mu, p.mu_dec, p.mu_inc, p.mu_max, p.max_fail, p.min_grad) == (
        0.005, 0.1, 10.0, 1e10, 0, 1e-7)  # fmt: skip


@pytest.mark.parametrize("command", ["forecast", "backtest"])
@pytest.mark.parametrize("solver", ["trainscg", "trainrp"])
def test_cli_solver(command, solver, monkeypatch):
    seen = []
    real = BPRegressor.fit

    def spy(self, X, y):
        seen.append(self.solver)
        return real(self, X, y)

    monkeypatch.setattr(BPRegressor, "fit", spy)
    monkeypatch.setattr(BPRegressor, "_fit_members", _members_spy(seen))
    args = [command, "dataset:nile", "--horizon", "2", "--lags", "3",
            "--n-models", "1", "--solver", solver]  # fmt: skip
    if command == "backtest":
        args += ["--initial", "80", "--step", "20"]
    assert main(args) == 0
    assert seen and set(seen) == {solver}


def _members_spy(seen):
    real = BPRegressor._fit_members

    def spy(self, X, y, seeds):
        seen.append(self.solver)
        return real(self, X, y, seeds)

    return spy


def test_cli_rejects_unknown_solver(capsys):
    assert main(["forecast", "dataset:nile", "--horizon", "2", "--solver", "x"]) != 0
    assert "--solver" in capsys.readouterr().err


def test_trainbr_wiring():
    from bpforecast.nn.bayesian import TrainBR

    model = BPRegressor((3,), solver="trainbr", epochs=5, random_state=0)
    solver = model._make_solver()
    assert isinstance(solver, TrainBR) and solver.mu == 0.005
    X, y = data(40)
    model.fit(X, y)
    assert model.val_indices_.size == 0 and model.stop_reason_ in {
        "epochs", "min_grad", "mu_max", "goal"}  # fmt: skip
    # The rule's own record reaches history_: gamma within (0, n_params].
    gamma = model.history_["gamma"].to_numpy()
    n_params = model.architecture_.n_params
    assert np.all((gamma > 0) & (gamma <= n_params))
    assert {"alpha", "beta", "ssX"} <= set(model.history_.columns)
