"""Organisations: the formal structure and informal ties that a rollout runs on.

- :class:`Organisation`: the arrays (``manager``, ``level``, ``department``, ``site``,
  ``frontline``, ``ties``...) with ``generate``, ``from_hr_csv``, ``from_edgelist`` and
  ``from_arrays`` constructors, ``describe()`` and ``centrality()``;
- :func:`load_org`, :func:`parse_columns`: the command line's ``--org`` and ``--columns``;
- :func:`org_from_config`: a scenario's ``organisation:`` mapping.
"""

from simulation.org.model import Organisation
from simulation.org.spec import load_org, org_from_config, parse_columns

__all__ = ["Organisation", "load_org", "org_from_config", "parse_columns"]
