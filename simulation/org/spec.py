"""Naming an organisation on the command line (``--org``) or in a scenario (``organisation:``).

Command line, :func:`load_org`:

- ``path/to/hr.csv`` or ``hr.xlsx``: an HR export (with ``--columns employee_id=Worker_ID,...``
  and the reading options of :mod:`simulation.org.hr_options`);
- ``dataset:NAME``: a bundled data set (:func:`simulation.datasets.names`);
- ``generate:size=N[,key=value...]``: the generator with its options (``span_of_control``,
  ``frontline_share``, ``sites``, ``seed``, ``departments`` (a count, or names separated by
  ``|``), and the tie options);
- ``edgelist:path`` or ``edgelist:path,attributes=path``: an observed network.

Scenario, :func:`org_from_config`: exactly one of ``{generate: {size: 2000, ...}}``,
``{hr_csv: path, columns: {...}, ties: path, seed: 0}``, ``{edgelist: path, attributes: path}``,
``{dataset: name}``. Relative paths are resolved against ``base_dir`` (the scenario's folder).
"""

from __future__ import annotations

import inspect
from pathlib import Path

from simulation.base.errors import InputError, OrgDataError
from simulation.org.hr_options import options_of
from simulation.org.model import Organisation
from simulation.org.table import KNOWN_COLUMNS


def _generator_options() -> list[str]:
    from simulation.org.generate import generate

    return list(inspect.signature(generate).parameters)


def _value(text: str) -> int | float | str:
    """``"2000"`` -> 2000, ``"0.3"`` -> 0.3, anything else stays a string."""
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def _resolve(path: str | Path, base_dir: str | Path | None) -> Path:
    path = Path(path).expanduser()
    if not path.is_absolute() and base_dir is not None:
        path = Path(base_dir) / path
    return path


def parse_columns(text: str | list[str] | tuple[str, ...]) -> dict[str, str]:
    """Parse ``"employee_id=Worker_ID,manager_id=Manager_ID"`` into a dict.

    A header holding a comma is quoted: ``manager_id="Manager (Personnel No., primary)"``.
    Several texts (``--columns`` given more than once) are merged.

    Raises
    ------
    InputError
        An item without ``=``, an empty name or header, a quote never closed, a repeated or
        unknown name.
    """
    texts = [text] if isinstance(text, str) else list(text)
    mapping: dict[str, str] = {}
    for item in (item for part in texts for item in _items(str(part))):
        name, sep, header = (piece.strip() for piece in _unquote(item).partition("="))
        header = _unquote(header)
        if not sep or not name or not header:
            raise InputError(
                f"--columns: expected name=Header, got {item.strip()!r} (quote a header "
                'holding a comma: manager_id="Manager (No., primary)")'
            )
        if name not in KNOWN_COLUMNS:
            raise InputError(
                f"--columns: unknown name {name!r} (known: {', '.join(KNOWN_COLUMNS)})"
            )
        if name in mapping:
            raise InputError(f"--columns: {name!r} given twice")
        mapping[name] = header
    return mapping


def _items(text: str) -> list[str]:
    """``text`` split at the commas outside double quotes."""
    items, start, quoted = [], 0, False
    for at, char in enumerate(text):
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            items.append(text[start:at])
            start = at + 1
    if quoted:
        raise InputError(f"--columns: a double quote is never closed in {text[:120]!r}")
    return [*items, text[start:]]


def _unquote(text: str) -> str:
    """``"Manager (No., primary)"`` without its quotes (double or single, around it all)."""
    text = text.strip()
    if len(text) > 1 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1].strip()
    return text


def _options(text: str, where: str) -> dict[str, int | float | str]:
    options: dict[str, int | float | str] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        key, sep, value = (part.strip() for part in item.partition("="))
        if not sep or not key or not value:
            raise OrgDataError(f"{where}: expected key=value, got {item!r}")
        if key in options:
            raise OrgDataError(f"{where}: option {key!r} given twice")
        options[key] = _value(value)
    return options


def _generate(options: dict, where: str) -> Organisation:
    from simulation.org.generate import generate

    known = _generator_options()
    for key in options:
        if key not in known:
            raise OrgDataError(f"{where}: unknown option {key!r} (known: {', '.join(known)})")
    if "size" not in options:
        raise OrgDataError(f"{where}: size is required, e.g. generate:size=2000")
    from simulation.org.source import generate_options

    options = generate_options(options, where)
    try:
        return generate(**options)
    except OrgDataError as error:
        raise OrgDataError(f"{where}: {error}") from None


def load_org(
    spec: str, columns: dict[str, str] | None = None, base_dir: str | Path | None = None
) -> Organisation:
    """The organisation named by a ``--org`` value (see the module docstring).

    Parameters
    ----------
    spec : str
        ``path``, ``dataset:NAME``, ``generate:size=N[,key=value...]`` or ``edgelist:path``.
    columns : dict, optional
        Column mapping for an HR export (see :func:`parse_columns`); an
        :class:`~simulation.org.hr_options.HrColumns` also carries the reading options
        (``--sheet``, ``--encoding``, ``--where``, ``--root-marker``, ``--orphans``, ``--ties``).
    base_dir : path, optional
        Folder that relative paths are resolved against (default: the working directory).

    Raises
    ------
    OrgDataError
        An unknown data set, option or value, a missing file, or any error of the file itself.
    """
    from simulation import datasets
    from simulation.org.edgelist import from_edgelist
    from simulation.org.hr_csv import from_hr_csv

    spec = spec.strip()
    kind, sep, rest = spec.partition(":")
    kind = kind.strip().lower() if sep else ""
    options = options_of(columns)
    if options and kind in ("dataset", "generate", "edgelist"):
        raise OrgDataError(f"{options.flags()[0]} applies to an HR export, not {kind}:")
    if kind == "dataset":
        if columns:
            raise OrgDataError("--columns applies to an HR CSV, not a data set")
        return datasets.load(rest)
    if kind == "generate":
        if columns:
            raise OrgDataError("--columns applies to an HR CSV, not a generated organisation")
        return _generate(_options(rest, "generate"), "generate")
    if kind == "edgelist":
        target, _, more = rest.partition(",")
        options = _options(more, "edgelist")
        unknown = sorted(set(options) - {"attributes"})
        if unknown:
            raise OrgDataError(f"edgelist: unknown option {unknown[0]!r} (known: attributes)")
        attributes = options.get("attributes")
        return from_edgelist(
            _resolve(target.strip(), base_dir),
            attributes=None if attributes is None else _resolve(str(attributes), base_dir),
            columns=columns,
        )
    if not spec:
        raise OrgDataError("--org: empty (give a CSV path, dataset:NAME or generate:size=N)")
    path = _resolve(spec, base_dir)
    if not path.is_file():
        what = "a folder, not a file" if path.is_dir() else "no such file"
        raise OrgDataError(
            f"{spec}: {what} (--org takes an HR export (CSV or .xlsx), dataset:NAME or "
            "generate:size=N)"
        )
    keywords = options.keywords()
    if "ties" in keywords:
        keywords["ties"] = _resolve(keywords["ties"], base_dir)
        if not Path(keywords["ties"]).is_file():
            raise OrgDataError(f"--ties: no such file {options.ties[:200]!r}")
    return from_hr_csv(path, columns=dict(columns) if columns else None, **keywords)


def org_from_config(
    cfg: dict, base_dir: str | Path | None = None, where: str = "organisation"
) -> Organisation:
    """The organisation of a scenario's ``organisation:`` mapping.

    Parameters
    ----------
    cfg : dict or OrganisationSource
        Exactly one of the keys ``generate``, ``hr_csv``, ``edgelist``, ``dataset``, with the
        extra keys each allows (see :mod:`simulation.org.source`).
    base_dir : path, optional
        The scenario's folder; relative paths are resolved against it and, like every path of
        a scenario, must stay inside the allowed roots (:func:`~simulation.org.source.confined`).
    where : str
        Field path used in messages.

    Raises
    ------
    OrgDataError
        Naming the field: ``organisation.generate.sise: unknown field``.
    """
    from simulation.org.source import org_of_source, parse_source

    return org_of_source(parse_source(cfg, where), base_dir)
