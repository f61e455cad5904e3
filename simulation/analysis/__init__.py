"""Analyses of the model itself: its parameter table, validation, sensitivity."""
