"""The long ebb's calibrate-then-forecast check, measured (issue 27 item 5).

    ESNSIM_DATA=../shared/data python benchmarks/long_ebb.py [--size 2000] [--replicates 8]

Fits ``need.lapse_factor`` of ``scenarios/community_steady_inflow.yaml`` to the NHS-R Community's
first two years (weekly active / registered, 28-day means), forecasts years three and four, and
writes the figure ``docs/long_ebb.png`` and the figures ``benchmarks/long_ebb_results.json``
(the fit's losses, the forecast's mean error and the share of forecast days inside its 90 % band,
and the long-ebb patterns' statistics at the shipped scenario).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from simulation.analysis import long_ebb  # noqa: E402
from simulation.org.model import Organisation  # noqa: E402


def figure(forecast, path: Path) -> None:
    """Observed and simulated weekly active / registered, the fit and forecast spans marked."""
    fig, ax = plt.subplots(figsize=(8, 4))
    days = forecast.days
    ax.fill_between(days, forecast.low, forecast.high, color="tab:blue", alpha=0.25,
                    label="model, 90 % band")  # fmt: skip
    ax.plot(days, forecast.mean, color="tab:blue",
            label=f"model (need.lapse_factor {forecast.best:g}), mean")  # fmt: skip
    ax.plot(days, forecast.observed, color="black", lw=1, label="NHS-R Community Slack")
    ax.axvline(long_ebb.FIT_DAYS, color="grey", ls="--")
    ax.text(long_ebb.FIT_DAYS * 0.5, 0.45, "fitted", ha="center", color="grey")
    ax.text(long_ebb.FIT_DAYS * 1.5, 0.45, "forecast (held out)", ha="center", color="grey")
    ax.set_xlabel("days since launch")
    ax.set_ylabel("weekly active / registered (28-day mean)")
    ax.set_ylim(0, 0.7)
    ax.legend(loc="upper right", fontsize=8)
    ax.set_title(
        f"Forecast of years 3-4: mean error {forecast.mean_error:+.3f}, "
        f"{forecast.inside:.0%} of days inside the band",
        fontsize=10,
    )
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--replicates", type=int, default=8)
    parser.add_argument("--figure", default=str(ROOT / "docs" / "long_ebb.png"))
    parser.add_argument("--out", default=str(Path(__file__).with_name("long_ebb_results.json")))
    args = parser.parse_args(argv)
    if long_ebb.skip_reason():
        print(long_ebb.skip_reason())
        return 2
    start = time.time()
    org = Organisation.generate(args.size, seed=0)
    seeds = range(args.replicates)
    forecast = long_ebb.calibrate_forecast(org, seeds)
    shipped = long_ebb.statistics(long_ebb.run(org, seeds))
    results = {
        "size": args.size,
        "replicates": args.replicates,
        "grid": forecast.grid,
        "losses": forecast.losses,
        "best": forecast.best,
        "forecast_mean_error": forecast.mean_error,
        "forecast_inside_band": forecast.inside,
        "observed": long_ebb.published(),
        "shipped": {k: float(v.mean()) for k, v in shipped.items()},
        "seconds": round(time.time() - start, 1),
    }
    figure(forecast, Path(args.figure))
    Path(args.out).write_text(json.dumps(results, indent=1) + "\n")
    print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
