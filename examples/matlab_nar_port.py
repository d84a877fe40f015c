"""A MATLAB NAR script (narnet, preparets, train, closeloop, plots), line by line.

The MATLAB original is in the comments, each above its Python line, and in
the side-by-side table of ``docs/porting-from-matlab.md``. The series is the
yearly sunspot numbers (MATLAB ships them as ``sunspot.dat``); the last
``--steps`` years are held back and forecast by the closed-loop network.

Run::

    python examples/matlab_nar_port.py --plot-dir plots

``--plot-dir DIR`` writes MATLAB's plots (plotperform, plottrainstate,
plotregression, ploterrhist, ploterrcorr, plotinerrcorr, plotresponse) and
the forecast as PNG files; ``--plot FILE`` writes only the forecast picture.
Without either nothing is drawn.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from bpforecast import matlab as nn
from bpforecast.datasets import load_sunspots


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delays", type=int, default=10, help="feedback delays 1..d")
    parser.add_argument("--hidden", type=int, default=10, help="hidden neurons")
    parser.add_argument("--epochs", type=int, default=1000)
    parser.add_argument("--steps", type=int, default=10, help="years to forecast")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--plot-dir", type=Path, help="write MATLAB's plots here")
    parser.add_argument("--plot", type=Path, help="write the forecast picture here")
    args = parser.parse_args(argv)
    steps = args.steps

    # load sunspot.dat
    # T = num2cell(sunspot(:, 2)');
    sunspots = load_sunspots()
    T = sunspots.to_numpy()
    # Ttrain = T(1:end-10);
    Ttrain = T[:-steps]

    # rng(0)
    nn.rng(args.seed)
    # net = narnet(1:10, 10);
    net = nn.narnet(range(1, args.delays + 1), args.hidden)
    # net.divideFcn = 'divideblock';
    net.divideFcn = "divideblock"
    # net.divideParam.trainRatio = 0.70;  (and valRatio, testRatio = 0.15)
    net.divideParam.trainRatio = 0.70
    net.divideParam.valRatio = 0.15
    net.divideParam.testRatio = 0.15
    # net.trainParam.epochs = 1000;
    net.trainParam.epochs = args.epochs
    # net.trainParam.showWindow = false;
    net.trainParam.showWindow = False

    # [Xs, Xi, Ai, Ts] = preparets(net, {}, {}, Ttrain);
    Xs, Xi, Ai, Ts = nn.preparets(net, None, None, Ttrain)
    # [net, tr] = train(net, Xs, Ts, Xi, Ai);
    net, tr = nn.train(net, Xs, Ts, Xi, Ai)
    # [Y, Xf, Af] = net(Xs, Xi, Ai);
    Y, Xf, Af = nn.sim(net, Xs, Xi, Ai, return_states=True)
    # E = gsubtract(Ts, Y);
    E = nn.gsubtract(Ts, Y)
    # performance = perform(net, Ts, Y)
    performance = nn.perform(net, Ts, Y)

    # netc = closeloop(net);
    netc = nn.closeloop(net)
    # [Xc, Xic, Aic, Tc] = preparets(netc, {}, {}, Ttrain);
    Xc, Xic, Aic, Tc = nn.preparets(netc, None, None, Ttrain)
    # Yc = netc(Xc, Xic, Aic);
    Yc = netc(Xc, Xic, Aic)
    # closedLoopPerformance = perform(net, Tc, Yc)
    closed_loop_performance = nn.perform(net, Tc, Yc)

    # nets = removedelay(net);
    nets = nn.removedelay(net)
    # [Xs1, Xi1, Ai1, Ts1] = preparets(nets, {}, {}, Ttrain);
    Xs1, Xi1, Ai1, Ts1 = nn.preparets(nets, None, None, Ttrain)
    # Ys = nets(Xs1, Xi1, Ai1);
    Ys = nets(Xs1, Xi1, Ai1)
    # stepAheadPerformance = perform(nets, Ts1, Ys)
    step_ahead_performance = nn.perform(nets, Ts1, Ys)

    # [netc, Xic, Aic] = closeloop(net, Xf, Af);
    netc, Xic, Aic = nn.closeloop(net, Xf, Af)
    # Yf = netc(cell(0, 10), Xic, Aic);
    Yf = netc(np.zeros((0, steps)), Xic, Aic)

    actual = T[-steps:]
    forecast = Yf[0]
    rmse = float(np.sqrt(np.mean((forecast - actual) ** 2)))
    naive = float(np.sqrt(np.mean((Ttrain[-1] - actual) ** 2)))
    years = sunspots.index.year[-steps:]
    print(f"{net!r}")
    print(
        f"Training stopped: {tr.stop} after {tr.num_epochs} epochs "
        f"(best epoch {tr.best_epoch})"
    )
    print(f"Open-loop (one-step) performance, mse:   {performance:12.2f}")
    print(f"Step-ahead network performance, mse:     {step_ahead_performance:12.2f}")
    print(f"Closed-loop performance over the series: {closed_loop_performance:12.2f}")
    print(f"Closed-loop forecast of the last {steps} years:")
    print("  year   actual  forecast")
    for year, a, f in zip(years, actual, forecast, strict=True):
        print(f"  {year}  {a:7.1f}  {f:8.1f}")
    print(f"Forecast RMSE {rmse:.1f} (naive: last value repeated, {naive:.1f})")

    if args.plot_dir is not None or args.plot is not None:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        from bpforecast.plotting import (
            ploterrcorr,
            ploterrhist,
            plotinerrcorr,
            plotperform,
            plotregression,
            plotresponse,
            plottrainstate,
        )

        figures = {}
        if args.plot_dir is not None:
            response_years = sunspots.index.year[args.delays : len(Ttrain)]
            figures = {
                # figure, plotperform(tr)
                "plotperform": plotperform(tr),
                # figure, plottrainstate(tr)
                "plottrainstate": plottrainstate(tr),
                # figure, plotregression(Ts, Y)
                "plotregression": plotregression(Ts, Y, tr=tr),
                # figure, ploterrhist(E)
                "ploterrhist": ploterrhist(E, tr=tr),
                # figure, ploterrcorr(E)
                "ploterrcorr": ploterrcorr(E),
                # figure, plotinerrcorr(Xs, E)
                "plotinerrcorr": plotinerrcorr(Xs, E),
                # figure, plotresponse(Ts, Y)
                "plotresponse": plotresponse(Ts, Y, tr=tr, time=response_years),
            }
        fig, ax = plt.subplots(figsize=(9, 4), layout="constrained")
        shown = slice(-80 - steps, None)
        ax.plot(sunspots.index.year[shown], T[shown], "k.-", label="sunspots")
        ax.plot(years, forecast, "r-o", label=f"closed-loop forecast ({steps} years)")
        ax.set_xlabel("Year")
        ax.set_ylabel("Mean sunspot number")
        ax.set_title("narnet closed-loop forecast (bpforecast.matlab)")
        ax.legend(loc="upper right")
        figures["forecast"] = fig
        if args.plot_dir is not None:
            args.plot_dir.mkdir(parents=True, exist_ok=True)
            for name, figure in figures.items():
                figure.savefig(args.plot_dir / f"{name}.png", dpi=100)
            print(f"Wrote {len(figures)} plots to {args.plot_dir}")
        if args.plot is not None:
            fig.savefig(args.plot, dpi=100)
            print(f"Wrote the forecast plot to {args.plot}")
        for figure in figures.values():
            plt.close(figure)

    return {
        "tr": tr,
        "performance": performance,
        "forecast": forecast,
        "actual": actual,
        "rmse": rmse,
    }


if __name__ == "__main__":
    main()
