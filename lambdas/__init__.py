"""Thin Powertools Lambda handlers over mlops_core (one folder per function)."""
