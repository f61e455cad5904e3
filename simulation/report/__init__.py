"""Figures and reports a consultant can put on a slide or forward."""
