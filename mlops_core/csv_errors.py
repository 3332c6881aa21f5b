"""The one error type of CSV reading: which check failed, in plain words, and where."""

from __future__ import annotations


class CsvReadError(ValueError):
    """The bytes are not a readable CSV; ``check`` names the failed check, ``column`` the
    column when one is to blame."""

    def __init__(self, check: str, message: str, column: str | None = None) -> None:
        super().__init__(message)
        self.check = check
        self.message = message
        self.column = column
