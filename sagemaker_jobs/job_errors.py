"""The one error type a job turns into a plain-words failure reason."""
from __future__ import annotations

import argparse
from pathlib import Path

# SageMaker copies the failure file into DescribeTrainingJob's FailureReason, which it cuts at
# 1024 characters; cutting here keeps the end of a long message from vanishing mid-word.
MAX_REASON_CHARS = 1000


class JobError(Exception):
    """A problem the user can fix (data, hyperparameters); the message is the whole reason."""


def write_failure(output_dir: str | Path, reason: str) -> Path:
    """Write the reason where the training toolkit looks for it (`$SM_OUTPUT_DIR/failure`)."""
    path = Path(output_dir) / "failure"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = " ".join(reason.split())  # one paragraph: no stray newlines from nested messages
    if len(text) > MAX_REASON_CHARS:
        text = text[: MAX_REASON_CHARS - 3] + "..."
    path.write_text(text + "\n", encoding="utf-8")
    return path


class JobArgumentParser(argparse.ArgumentParser):
    """argparse that raises JobError instead of printing usage and exiting with status 2,
    so a bad argument still ends in a failure reason rather than a usage dump only."""

    def error(self, message: str):
        raise JobError(f"Invalid arguments: {message}.")
