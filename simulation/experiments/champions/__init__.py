"""Choosing champions: whom to seed for the most sustained use when people lapse (issue 30).

:class:`~simulation.experiments.champions.run.ChampionSearch` is the entry point; see
docs/how-to/champions.md.
"""
