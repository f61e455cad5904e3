"""The plan layer: the scenario schema and its loader, names and roles, adoption rules,
rollout strategies and levers (docs/architecture.md)."""
