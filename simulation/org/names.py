"""Matching the names a plan uses against an organisation's own names.

A scenario written for one organisation says ``finance``; the client's HR export says
``Finance``, ``Information Technology`` or ``Zürich``. Names are compared after
:func:`normalise` (case, accents, punctuation and ``&``/``and`` ignored), then through a small
table of synonyms (:data:`FUNCTIONS`: "Information Technology" and "ICT" are IT, "Retail
Operations" is operations). A name that matches nothing is an error with the closest valid
names (:func:`closest`, difflib on normalised names).
"""

from __future__ import annotations

import difflib
import re
import unicodedata

import numpy as np

#: Letters that Unicode does not decompose into a base letter and an accent.
_LETTERS = str.maketrans(
    {"ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe",
     "đ": "d", "Đ": "d", "ð": "d", "þ": "th", "ı": "i", "ß": "ss"}
)  # fmt: skip

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


def normalise(name: object) -> str:
    """Lower case, no accents, ``&`` as ``and``, runs of other characters as one space."""
    text = unicodedata.normalize("NFKD", str(name).translate(_LETTERS))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = text.replace("&", " and ")
    return re.sub(r"[^0-9a-z]+", " ", text).strip()


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


def _likeness(key: str, candidate: str) -> float:
    """How alike 0-1: the whole names, or ``key`` and one word of a multi-word name."""
    whole = difflib.SequenceMatcher(None, key, candidate).ratio()
    words = [w for w in candidate.split() if len(w) >= 3 and w != candidate]
    part = max((difflib.SequenceMatcher(None, key, w).ratio() for w in words), default=0.0)
    return max(whole, part)


def closest(name: str, names: list[str], count: int = 3, cutoff: float = 0.6) -> list[str]:
    """Up to ``count`` of ``names`` closest to ``name`` (difflib on normalised names, whole
    names or one of their words), only those nearly as close as the closest."""
    key = normalise(name)
    keyed: dict[str, str] = {}
    for n in names:
        keyed.setdefault(normalise(n), n)
    if len(keyed) > 5_000:  # employee ids: whole names only, with difflib's quick filters
        return [keyed[k] for k in difflib.get_close_matches(key, list(keyed), count, cutoff)]
    scored = sorted(((_likeness(key, k), k) for k in keyed), key=lambda item: -item[0])
    scored = [(score, k) for score, k in scored if score >= cutoff]
    if not scored:
        return []
    best = scored[0][0]
    return [keyed[k] for score, k in scored[:count] if score >= best - 0.05]


def did_you_mean(name: str, names: list[str]) -> str:
    """`` (did you mean 'Finance'?)`` or, with no close name, the first valid names."""
    near = closest(name, names)
    if near:
        return " (did you mean " + " or ".join(repr(n) for n in near) + "?)"
    shown = ", ".join(repr(n) for n in names[:12])
    more = f" and {len(names) - 12} more" if len(names) > 12 else ""
    return f" (valid: {shown}{more})"


def head_counts(codes: np.ndarray, count: int) -> np.ndarray:
    """People per unit code (int64, length ``count``)."""
    return np.bincount(np.asarray(codes, dtype=np.int64), minlength=count)
