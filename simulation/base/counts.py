"""Whole-number fields that refuse ``true`` / ``false``.

Pydantic's lax mode takes a bool for an int (``True`` is 1), and YAML 1.1 reads ``on``, ``off``,
``yes`` and ``no`` as bools: ``community_managers: on`` would silently be one community manager,
and a search over ``{values: [on, off]}`` one against none. Scenario and lever fields that count
(people, days, managers) are :data:`Count` instead of ``int``.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator


def _not_a_bool(value):
    if isinstance(value, bool):
        raise ValueError(
            f"a whole number, not {str(value).lower()} (YAML reads on/off/yes/no as true/false)"
        )
    return value


#: an ``int`` field that refuses bools (module docstring)
Count = Annotated[int, BeforeValidator(_not_a_bool)]
