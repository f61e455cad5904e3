"""Matching the names a plan uses against an organisation's own names.

A scenario written for one organisation says ``finance``; the client's HR export says
``Finance``, ``Information Technology`` or ``Zürich``. Names are compared after
:func:`normalise` (case, accents, punctuation and ``&``/``and`` ignored), then through a small
table of synonyms (:data:`FUNCTIONS`: "Information Technology" and "ICT" are IT, "Retail
Operations" is operations; German, French, Spanish, Dutch and Italian names from
:mod:`simulation.org.synonyms`: "Informationstechnik", "Vertrieb", "Ventes", "Risorse umane"). A name that matches nothing is an error with the closest valid
names (:func:`simulation.base.suggest.closest`, difflib on normalised names).
"""

from __future__ import annotations

import numpy as np

from simulation.base.suggest import normalise
from simulation.org.synonyms import foreign_names

#: Business functions and the names organisations give them (normalised). A department matches
#: a function when its normalised name is one of these, or contains one of them as whole words
#: ("retail operations" contains "operations"). Assumption: common English, German, French and
#: Spanish department names in HR systems.
FUNCTIONS: dict[str, tuple[str, ...]] = {
    "sales": ("sales", "field sales", "inside sales", "sales operations", "business development",
              "commercial", "account management", "vertrieb", "ventes", "ventas", "verkauf"),
    "marketing": ("marketing", "marketing operations", "communications", "comms", "brand", "pr",
                  "public relations"),
    "it": ("it", "information technology", "ict", "information systems", "tech", "technology",
           "it services", "it operations", "it support", "it infrastructure", "informatik",
           "informatique"),
    "engineering": ("engineering", "r and d", "rnd", "research and development", "research",
                    "development", "product development", "software", "entwicklung"),
    "operations": ("operations", "ops", "production", "manufacturing", "logistics",
                   "supply chain", "stores", "retail", "warehouse", "plant", "betrieb"),
    "finance": ("finance", "accounting", "controlling", "treasury", "finanzen", "finances"),
    "hr": ("hr", "human resources", "people", "people and culture", "personnel", "talent",
           "ressources humaines", "recursos humanos"),
    "legal": ("legal", "law", "legal affairs", "compliance", "recht", "juridique"),
    "executive": ("executive", "executives", "management", "leadership", "board", "c suite",
                  "office of the ceo", "geschaftsfuhrung", "direction generale"),
}  # fmt: skip
# the same functions in German, French, Spanish, Dutch and Italian (simulation.org.synonyms)
FUNCTIONS = {function: (*names, *foreign_names(function)) for function, names in FUNCTIONS.items()}


def _contains_words(name: str, phrase: str) -> bool:
    return f" {phrase} " in f" {name} "


def function_of(name: str) -> str | None:
    """The business function (a key of :data:`FUNCTIONS`) a unit's name matches best, if any.

    An exact synonym wins; otherwise the longest synonym the name contains as whole words.
    """
    key = normalise(name)
    best, best_length = None, 0
    for function, synonyms in FUNCTIONS.items():
        for synonym in synonyms:
            if key == synonym:
                return function
            if _contains_words(key, synonym) and len(synonym) > best_length:
                best, best_length = function, len(synonym)
    return best


def units_of_function(names: list[str], function: str) -> list[str]:
    """The names (of departments) that match business ``function``."""
    return [name for name in names if function_of(name) == function]


def match_unit(name: str, names: list[str]) -> list[str]:
    """The unit(s) of ``names`` that ``name`` denotes: [] when none, several when ambiguous.

    Exact first, then equal after :func:`normalise`; then, when ``name`` is one of the synonyms
    of a business function ("IT", "Information Technology"), the units of that function; last,
    the units whose normalised name contains ``name``'s as whole words ("Operations" is
    "Retail Operations").
    """
    if name in names:
        return [name]
    key = normalise(name)
    if not key:
        return []
    same = [n for n in names if normalise(n) == key]
    if same:
        return same
    for function, synonyms in FUNCTIONS.items():
        if key in synonyms:
            by_function = units_of_function(names, function)
            if by_function:
                return by_function
    return [n for n in names if _contains_words(normalise(n), key)]


def head_counts(codes: np.ndarray, count: int) -> np.ndarray:
    """People per unit code (int64, length ``count``)."""
    return np.bincount(np.asarray(codes, dtype=np.int64), minlength=count)
