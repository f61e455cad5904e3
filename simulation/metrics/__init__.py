"""What the model reports: windows.py (activity windows and classes of people, defined once),
daily.py (daily series), summary.py (per-run figures), groups.py, inequality.py, targets.py.

Nothing is imported here: the day kernel imports ``metrics.windows`` and ``metrics.daily`` imports
the kernel's counts, so eager imports in this package would make a cycle.
"""
