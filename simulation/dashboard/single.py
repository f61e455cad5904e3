"""The single-run page: one replicate day by day on Mesa's SolaraViz.

Sliders set the plan's main levers (strategy, community managers, sponsorship, app launch day,
jam day) and the organisation; Reset builds the model from them, Step advances one day, play
runs on. The page shows the network coloured by stage, the curves (the model's DataCollector,
drawn against the day since launch, in per cent of staff) and the day's figures, whose ``data-*``
attributes carry the series. Every slider shows its value (Vuetify's thumb label, kept visible).
"""

from __future__ import annotations

import json

import numpy as np
import solara
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter
from mesa.visualization import SolaraViz
from mesa.visualization.utils import update_counter

from simulation.dashboard import levers
from simulation.dashboard.network import draw, layout, sample_note
from simulation.dashboard.style import SLIDER_VALUES

CURVES = {"wau": "tab:blue", "registered": "tab:green", "contributors": "tab:orange"}
CURVE_LABELS = {"wau": "weekly active", "registered": "registered", "contributors": "contributors"}
FIGURES = (
    ("wau", "weekly active"),
    ("registered", "registered"),
    ("contributors", "contributors"),
    ("dau", "daily active"),
)


def model_params(sources: list[str]) -> dict:
    """The sliders of :class:`~simulation.dashboard.levers.LeverModel`, in Mesa's format."""
    return {
        "strategy": {
            "type": "Select",
            "value": "grassroots",
            "values": list(levers.STRATEGIES),
            "label": "Rollout strategy",
        },
        "community_managers": {
            "type": "SliderInt",
            "value": 2,
            "min": 0,
            "max": 10,
            "step": 1,
            "label": "Community managers (people)",
        },
        "sponsorship": {
            "type": "Select",
            "value": "participative",
            "values": list(levers.SPONSORSHIP),
            "label": "Executive sponsorship",
        },
        "app_launch_day": {
            "type": "SliderInt",
            "value": 0,
            "min": -1,
            "max": 360,
            "step": 1,
            "label": "Mobile app launch day (-1: no app)",
        },
        "jam_day": {
            "type": "SliderInt",
            "value": 90,
            "min": -1,
            "max": 360,
            "step": 1,
            "label": "Jam day (-1: no jam)",
        },
        "source": {
            "type": "Select",
            "value": "generated",
            "values": sources,
            "label": "Organisation",
        },
        "people": {
            "type": "SliderInt",
            "value": 1000,
            "min": 200,
            "max": 10_000,
            "step": 100,
            "label": "People (generated organisation)",
        },
        "seed": {"type": "SliderInt", "value": 0, "min": 0, "max": 99, "step": 1, "label": "Seed"},
    }


@solara.component
def NetworkView(model):
    """The network coloured by stage (a fixed sample above a few thousand people)."""
    update_counter.get()
    org = model.org
    shown, xy = solara.use_memo(lambda: layout(org), dependencies=[id(org)])
    figure = draw(org, model.engine.people.stage[0], shown, xy)
    with solara.Column():
        note = sample_note(org)
        if note:
            solara.Info(note, dense=True)
        solara.FigureMatplotlib(figure, format="png")


def curves_figure(frame) -> Figure:
    """The curves of :data:`CURVES`: x the day since launch (days), y per cent of staff."""
    figure = Figure(figsize=(5.2, 3.9), layout="constrained")
    axes = figure.add_subplot()
    days = np.arange(len(frame))  # row k is day k (the first step simulates day 0)
    for column, colour in CURVES.items():
        values = frame[column].to_numpy(float) if len(frame) else np.array([])
        axes.plot(days, values, color=colour, label=CURVE_LABELS[column])
    axes.set_xlabel("day since launch (days)")
    axes.set_ylabel("share of staff")
    axes.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylim(0, 1)
    axes.set_xlim(left=0)
    axes.grid(alpha=0.3)
    axes.legend(loc="upper left", fontsize=9, frameon=False)
    return figure


@solara.component
def Curves(model):
    """The day-by-day curves (mean over the model's batch), in days and per cent."""
    update_counter.get()
    solara.FigureMatplotlib(
        curves_figure(model.datacollector.get_model_vars_dataframe()), format="png"
    )


@solara.component
def DayFigures(model):
    """The day's figures as a table; its ``data-*`` attributes hold the whole series."""
    update_counter.get()
    frame = model.datacollector.get_model_vars_dataframe()
    cells = []
    for column, name in FIGURES:
        value = float(frame[column].iloc[-1]) if len(frame) else 0.0
        cells.append(f'<tr><td>{name}</td><td id="figure-{column}">{value:.1%}</td></tr>')
    series = {c: [round(float(v), 6) for v in frame[c]] for c in CURVES} if len(frame) else {}
    attributes = {
        "id": "run-figures",
        "data-day": str(model.day),
        "data-series": json.dumps(series),
        "data-levers": json.dumps(getattr(model, "levers", {})),
    }
    with solara.Column():
        solara.Markdown(f"**Day {model.day}** of {model.scenario.days}, {model.org.name}")
        solara.HTML(
            tag="table",
            unsafe_innerHTML="".join(cells),
            attributes=attributes,
            style="font-size: 0.95em",
        )


@solara.component
def SinglePage(sources: list[str]):
    """The single-run page: SolaraViz on a :class:`~simulation.dashboard.levers.LeverModel`."""
    model = solara.use_memo(lambda: levers.LeverModel(), dependencies=[])
    solara.Style(SLIDER_VALUES)
    SolaraViz(
        model,
        components=[
            (NetworkView, 0),
            (Curves, 0),
            (DayFigures, 0),
        ],
        model_params=model_params(sources),
        name="esnsim: one run",
        play_interval=150,
    )
