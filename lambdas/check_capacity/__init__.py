"""The check_capacity Lambda function (see handler.py)."""
