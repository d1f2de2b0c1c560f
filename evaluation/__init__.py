"""Measurement of the assistant on the frozen sets (see frozen.py)."""
