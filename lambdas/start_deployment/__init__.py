"""The start_deployment Lambda function (see handler.py)."""
