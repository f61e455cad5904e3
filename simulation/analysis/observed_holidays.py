"""Public holidays to leave out of a fit (``esnsim calibrate --holidays``).

On a public holiday almost nobody at work visits: a fit that counts those days chases dips
the model has no reason to make (it has weekends, not holidays). The days named here are left
out of the observed series, so out of the loss and of the band coverage.

The specification is a comma-separated list whose items are dates (``2026-12-25``) or
countries' calendars by ISO 3166 code, optionally with a subdivision (``DE``, ``GB``,
``DE-BY``, ``US-CA``), from the ``holidays`` package (python-holidays, "Open World Holidays
Framework", https://github.com/vacanza/holidays): ``--holidays GB,2026-12-24``.
"""

from __future__ import annotations

import re
from datetime import date

import holidays

from simulation.base.errors import InputError

_COUNTRY = re.compile(r"^([A-Za-z]{2,3})(?:-([A-Za-z0-9]{1,5}))?$")
#: most items of a specification (dates or countries)
MAX_ITEMS = 1_000


def holiday_dates(spec: str, first: date, last: date) -> tuple[list[date], str]:
    """The holidays of ``spec`` from ``first`` to ``last`` (both included), and what they are.

    Returns
    -------
    dates : list of date
        Sorted, without repeats.
    label : str
        What was asked for, for the output (``public holidays of DE``, ``3 given dates``).

    Raises
    ------
    InputError
        An item that is neither a date (``YYYY-MM-DD``) nor a country the ``holidays`` package
        knows, in one line naming it.
    """
    items = [item.strip() for item in str(spec).split(",")]
    if not any(items):
        raise InputError("--holidays: empty (give dates YYYY-MM-DD or a country code such as DE)")
    if len(items) > MAX_ITEMS:
        raise InputError(f"--holidays: {len(items):,} items (at most {MAX_ITEMS:,})")
    found: set[date] = set()
    countries, given = [], 0
    years = list(range(first.year, last.year + 1))
    for item in items:
        if not item:
            raise InputError(f"--holidays {spec[:60]!r}: an empty item between commas")
        country = _COUNTRY.match(item)
        if country and not item[:4].isdigit():
            found |= _calendar(item, country.group(1).upper(), country.group(2), years)
            countries.append(item.upper())
            continue
        try:
            found.add(date.fromisoformat(item))
        except ValueError:
            problem = (
                f"--holidays {item[:40]!r}: not a date (YYYY-MM-DD) nor a country code of the "
                "holidays package (e.g. DE, GB, US, DE-BY)"
            )
            raise InputError(problem) from None
        given += 1
    label = []
    if countries:
        label.append("public holidays of " + ", ".join(countries))
    if given:
        label.append(f"{given} given date{'s' if given != 1 else ''}")
    return sorted(d for d in found if first <= d <= last), " and ".join(label)


def _calendar(item: str, country: str, subdivision: str | None, years: list[int]) -> set[date]:
    try:
        calendar = holidays.country_holidays(
            country, subdiv=subdivision.upper() if subdivision else None, years=years
        )
    except NotImplementedError as error:
        problem = f"--holidays {item!r}: {str(error)[:120]} (a country code such as DE, GB, US)"
        raise InputError(problem) from None
    return set(calendar)
