"""The HTML run report (`mlops report`): one self-contained page about one pipeline run, built
from AWS APIs only (Step Functions history, S3 reports, SageMaker registry and tuning,
CloudWatch metrics and alarm history), so it works against AWS and the embedded cloud alike.

collect.py gathers the facts, page.py renders them, svg.py draws the charts inline.
"""

from mlops.reporting.collect import ReportError, collect_report
from mlops.reporting.page import render_page

__all__ = ["ReportError", "collect_report", "render_page"]
