"""SageMaker job code: the root of the `sourcedir.tar.gz` source archive.

The scripts run as `python train.py` from the archive root, so they import their sibling
modules by plain name; each script puts its own folder on `sys.path` first so that tests can
also import them as `sagemaker_jobs.train` from the repository root.
"""
