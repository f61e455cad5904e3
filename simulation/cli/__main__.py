"""``python -m simulation.cli``: the same as the ``esnsim`` command."""

from simulation.entry import command

if __name__ == "__main__":
    command()
