"""``python -m simulation``: the same as the ``esnsim`` command."""

from simulation.cli import command

command()
