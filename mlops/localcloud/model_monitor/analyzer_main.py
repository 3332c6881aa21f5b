"""The analyzer stand-in's container entrypoint (`sagemaker.builtin_images`), run by path.

Loads `analyzer.py` by file, not through the `mlops.localcloud` package, so the container
process imports the data-quality core and nothing of the embedded cloud (moto, its hooks).
"""

import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
# This folder's modules must not shadow anything; the repository root makes mlops_core importable.
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(HERE))))

spec = importlib.util.spec_from_file_location("_mlops_model_monitor_analyzer", os.path.join(HERE, "analyzer.py"))
analyzer = importlib.util.module_from_spec(spec)
spec.loader.exec_module(analyzer)
sys.exit(analyzer.main())
