"""Operator-side code: the typed stage config, the `mlops` CLI and the embedded cloud.

Never shipped to AWS: Lambda assets and the SageMaker job archive carry `mlops_core` only.
"""
