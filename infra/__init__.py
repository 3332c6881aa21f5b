"""CDK constructs of the MLOps stack, one concern per file; `stack.py` composes them."""
