"""The single-run page's levers: a plan built from the sliders, and the Mesa model it runs.

The page's model is rebuilt from keyword arguments when a slider moves (Mesa's ``SolaraViz``
calls the model class with them), so :class:`LeverModel` takes only plain values: the lever
settings, the organisation (generated of a given size, or a real data set) and the seed.
"""

from __future__ import annotations

from simulation.experiments.mesa_model import ESNModel
from simulation.plan.scenario import Scenario

#: Rollout strategies that need no further setting (the rest name departments, ids or waves).
STRATEGIES = ("grassroots", "mandate", "cascade", "announcement", "hub_seeding", "pilot")
SPONSORSHIP = ("none", "participative", "directive")
NEVER = -1  # a launch or jam day of -1: the lever is not used


def plan(
    strategy: str = "grassroots",
    community_managers: int = 2,
    sponsorship: str = "participative",
    app_launch_day: int = 0,
    jam_day: int = 90,
    days: int = 365,
) -> Scenario:
    """The scenario the sliders describe (validated like a scenario file).

    Parameters
    ----------
    strategy : str
        Rollout strategy (:data:`STRATEGIES`).
    community_managers : int
        Community managers facilitating (people); 0 for none.
    sponsorship : str
        Executive sponsorship style, or ``"none"``.
    app_launch_day : int
        Day the mobile app launches (days from launch); -1 for no app.
    jam_day : int
        First day of a three-day all-staff Jam; -1 for none.
    days : int
        Days simulated.
    """
    interventions: list[dict] = []
    if community_managers > 0:
        interventions.append({"type": "facilitation", "community_managers": community_managers})
    if sponsorship != "none":
        interventions.append({"type": "sponsorship", "style": sponsorship, "who": "executives"})
    if app_launch_day != NEVER:
        interventions.append({"type": "mobile_app", "launch_day": app_launch_day})
    if jam_day != NEVER:
        interventions.append({"type": "jam", "start_day": jam_day, "length_days": 3})
    return Scenario.from_dict(
        {
            "name": "dashboard",
            "description": "The plan set on the dashboard's sliders.",
            "days": days,
            "adoption": {"rule": "threshold"},
            "rollout": {"strategy": strategy},
            "interventions": interventions,
        }
    )


def organisation(source: str = "generated", people: int = 1000, org_seed: int = 0):
    """The page's organisation: ``generated`` (of ``people``) or a real data set's name."""
    from simulation.org.model import Organisation

    if source == "generated":
        return Organisation.generate(int(people), seed=int(org_seed))
    from simulation import datasets

    return datasets.load(source)


class LeverModel(ESNModel):
    """An :class:`ESNModel` made from the lever settings (one replicate, one step a day).

    Parameters are those of :func:`plan` and :func:`organisation`, and ``seed``.
    """

    def __init__(
        self,
        strategy: str = "grassroots",
        community_managers: int = 2,
        sponsorship: str = "participative",
        app_launch_day: int = 0,
        jam_day: int = 90,
        source: str = "generated",
        people: int = 1000,
        seed: int = 0,
        days: int = 365,
    ):
        scenario = plan(strategy, community_managers, sponsorship, app_launch_day, jam_day, days)
        super().__init__(organisation(source, people), scenario, seed=int(seed))
        self.levers = {
            "strategy": strategy,
            "community_managers": int(community_managers),
            "sponsorship": sponsorship,
            "app_launch_day": int(app_launch_day),
            "jam_day": int(jam_day),
        }
