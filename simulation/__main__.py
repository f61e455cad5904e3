"""``python -m simulation``: the same as the ``esnsim`` command."""

import sys

from simulation.cli import main

sys.exit(main())
