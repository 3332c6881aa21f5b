"""Pure shared logic of the MLOps stack.

Standard library, pandas and numpy only: this package ships inside every Lambda asset and
every SageMaker job's source archive, where nothing else is guaranteed to be installed.
"""
