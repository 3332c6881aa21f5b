"""The compare_shadow Lambda function (see handler.py)."""
