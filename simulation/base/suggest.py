"""Names a user may have meant: the closest of the valid names, compared without case, accents
or punctuation. Used by every error that names an unknown value (a department, a field, a
scenario) so that each says "did you mean ...?" the same way."""

from __future__ import annotations

import difflib
import re
import unicodedata

#: Letters that Unicode does not decompose into a base letter and an accent.
_LETTERS = str.maketrans(
    {"ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe",
     "đ": "d", "Đ": "d", "ð": "d", "þ": "th", "ı": "i", "ß": "ss"}
)  # fmt: skip


def normalise(name: object) -> str:
    """Lower case, no accents, ``&`` as ``and``, runs of other characters as one space."""
    text = unicodedata.normalize("NFKD", str(name).translate(_LETTERS))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = text.replace("&", " and ")
    return re.sub(r"[^0-9a-z]+", " ", text).strip()


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
