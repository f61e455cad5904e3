"""``python -m simulation``: the same as the ``esnsim`` command."""

from simulation.entry import command

if __name__ == "__main__":  # a worker re-running this module as __mp_main__ must not start it
    command()
