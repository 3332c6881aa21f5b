"""The prepare_data Lambda function (see handler.py)."""
