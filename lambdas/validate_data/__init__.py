"""The validate_data Lambda function (see handler.py)."""
