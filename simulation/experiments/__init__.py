"""The experiments layer: batches of runs and their process pools, ``Sim``, ``MultiSim``,
sweeps (docs/architecture.md)."""
