"""Validation benchmark: the same data contract checked by our data-quality core, pandera,
Great Expectations and plain vectorised pandas, on the same generated CSV.

Only pandas and numpy are imported at package level: the runner also executes inside the
peers' own venv (.build/bench-peers-venv), which has pandera and Great Expectations instead
of the project's pins.
"""
