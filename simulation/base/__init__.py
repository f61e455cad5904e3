"""The bottom layer: errors, limits, the safe YAML loader, random streams, signals, writing
results atomically. It imports no other layer (docs/architecture.md)."""
