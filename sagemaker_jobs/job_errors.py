"""The one error type a job turns into a plain-words failure reason, and the ways a job leaves
that reason behind."""
from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from pathlib import Path

# SageMaker copies the failure file into DescribeTrainingJob's FailureReason, which it cuts at
# 1024 characters; cutting here keeps the end of a long message from vanishing mid-word.
MAX_REASON_CHARS = 1000
# Where a Processing container leaves its failure reason for DescribeProcessingJob.
MESSAGE_FILE = "/opt/ml/output/message"
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


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


def processing_main(verb: str, argv: list[str] | None, *, parse_args: Callable[[list[str] | None], argparse.Namespace],
                    run: Callable[[argparse.Namespace], object], log: logging.Logger,
                    errors: tuple[type[Exception], ...] = (JobError,), message_file: str | None = MESSAGE_FILE) -> int:
    """`main()` of a Processing script: 0 when `run` succeeds; else `<verb> failed: <reason>` on
    stderr and in the message file, and 1. `errors` are the user's problems, told as they are;
    anything else is told with its type (and logged with its traceback), since the exit status
    alone would explain nothing. The message file is the parsed `--message-file` when the
    script has one (the default `message_file` covers arguments that do not parse); None: stderr only."""
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    # Found before parsing: arguments that do not parse must still leave their reason where the
    # caller said (the embedded cloud rebases /opt/ml in arguments, not in this default).
    message_file = _message_file_argument(sys.argv[1:] if argv is None else argv) or message_file
    try:
        args = parse_args(argv)
        message_file = getattr(args, "message_file", message_file)
        run(args)
        return 0
    except errors as error:
        reason = f"{verb} failed: {error}"
    except Exception as error:  # noqa: BLE001 - every failure must leave a reason behind
        log.exception("unexpected error")
        reason = f"{verb} failed with an unexpected {type(error).__name__}: {error}"
    print(reason, file=sys.stderr)
    if message_file:
        try:
            Path(message_file).parent.mkdir(parents=True, exist_ok=True)
            Path(message_file).write_text(reason[:MAX_REASON_CHARS] + "\n", encoding="utf-8")
        except OSError:
            pass  # stderr already has it
    return 1


def _message_file_argument(argv: list[str]) -> str | None:
    """The value of `--message-file X` / `--message-file=X` in raw arguments, if any."""
    for index, argument in enumerate(argv):
        if argument == "--message-file" and index + 1 < len(argv):
            return argv[index + 1]
        if argument.startswith("--message-file="):
            return argument.split("=", 1)[1]
    return None
