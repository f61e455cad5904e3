"""What the report says of the organisation a plan ran on: whether its informal ties were
observed, and which of its departments the plan's roles stood for."""

from __future__ import annotations

from html import escape

from simulation.org.inspect import ties_note

#: Names listed per role in a plan's description before "and N more".
SHOWN = 6


def ties_line(org) -> str:
    """One line when the informal ties are generated (not observed), else ""."""
    return ties_note(org) or ""


def names_used(scenario) -> str:
    """``On this organisation: rollout.departments open_to_social = Vertrieb, ...``: the units a
    plan's roles resolved to ("" when it names none by role)."""
    parts = []
    for use in scenario.name_uses:
        if not use.written or list(use.written) == list(use.resolved):
            continue
        names = [str(n) for n in use.resolved]
        shown = ", ".join(names[:SHOWN]) + (
            f" and {len(names) - SHOWN} more" if len(names) > SHOWN else ""
        )
        written = ", ".join(str(n) for n in use.written)
        how = f" ({'; '.join(use.how)})" if any("fallback" in h for h in use.how) else ""
        parts.append(f"{use.path}: {written} = {shown}{how}")
    return "On this organisation: " + "; ".join(parts) + "." if parts else ""


def names_used_html(scenario) -> str:
    """:func:`names_used` as a sentence after the plan's description."""
    text = names_used(scenario)
    return f' <span class="names-used">{escape(text)}</span>' if text else ""
