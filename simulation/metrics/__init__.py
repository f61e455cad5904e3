"""What the model reports: daily series (daily.py), per-run figures (summary.py), inequality."""

from simulation.metrics.daily import DAILY_COLUMNS, DailyRecorder
from simulation.metrics.summary import SUMMARY_COLUMNS, summarise

__all__ = ["DAILY_COLUMNS", "SUMMARY_COLUMNS", "DailyRecorder", "summarise"]
