"""The start_pipeline Lambda function (see handler.py)."""
