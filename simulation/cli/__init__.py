"""The ``esnsim`` command (:mod:`simulation.cli.main`) and its sub-commands, one module each.

Kept empty so that :mod:`simulation.entry` can import :mod:`simulation.cli.sweep` (to start a
sweep's workers) before the command's own imports.
"""
