"""Parameter sweeps: designs, evaluators, the store."""
