"""MkDocs hook: every ``esnsim`` command's ``--help``, rendered from the parser at build time.

A page holding the line ``<!-- esnsim-commands -->`` gets, in its place, one section per
command and sub-command (``esnsim run``, ``esnsim sweep status``...) with the text its
``--help`` prints, made by ``simulation.cli.main.build_parser()``: a command or an option added to
the code appears here at the next build.
"""

from __future__ import annotations

import argparse
import importlib
import os

MARKER = "<!-- esnsim-commands -->"
WIDTH = "100"  # argparse wraps --help to $COLUMNS
# commands that parse their own sub-commands (``esnsim sweep FILE`` beside ``esnsim sweep check``):
# the function giving those sub-commands' parsers by name
OWN_SUBCOMMANDS = {"esnsim sweep": ("simulation.cli.sweep", "_commands")}


def on_page_markdown(markdown: str, page, config, files, **kwargs) -> str:
    if MARKER not in markdown:
        return markdown
    from simulation.cli.main import build_parser

    return markdown.replace(MARKER, render(build_parser()))


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The parser's sub-commands by name, in the order they were added (none if it has none)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    if parser.prog in OWN_SUBCOMMANDS:
        module, function = OWN_SUBCOMMANDS[parser.prog]
        return getattr(importlib.import_module(module), function)()
    return {}


def render(parser: argparse.ArgumentParser) -> str:
    parts: list[str] = []

    def visit(name: str, sub: argparse.ArgumentParser, depth: int) -> None:
        parts.extend([f"{'#' * depth} `{name}`", "", "```text", usage(sub).rstrip(), "```", ""])
        for child, child_parser in subcommands(sub).items():
            visit(f"{name} {child}", child_parser, depth + 1)

    for name, sub in subcommands(parser).items():
        visit(f"esnsim {name}", sub, 3)
    return "\n".join(parts)


def usage(parser: argparse.ArgumentParser) -> str:
    before = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = WIDTH
    try:
        return parser.format_help()
    finally:
        if before is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = before
