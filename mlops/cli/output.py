"""How the CLI talks to people: short progress lines, and errors as advice, not tracebacks."""

from __future__ import annotations

import time

import click


class Progress:
    def __init__(self) -> None:
        self.started = time.monotonic()

    def step(self, message: str) -> None:
        click.echo(f"[{time.monotonic() - self.started:6.1f}s] {message}")


def fail(message: str, code: int = 1) -> None:
    click.secho(f"error: {message}", fg="red", err=True)
    raise SystemExit(code)
