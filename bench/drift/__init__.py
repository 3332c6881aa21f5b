"""The drift-check benchmark's parts (bench/drift_check.py): data, our peer, Evidently's peer."""
