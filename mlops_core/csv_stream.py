"""Stream a CSV of any size into pandas chunks, checking every byte on the way (byte_scan).

Memory: one block of bytes, pandas' read buffer and one chunk of ``chunk_rows`` rows, so the
bound is set by ``chunk_rows`` x the width of a row, whatever the file size; a field longer
than ``max_field_bytes`` is refused, and a line longer than max(``LINE_GUARD``, fields) x that
(a quote left open swallows the rest of the file) aborts at once, before pandas buffers it.

Values are parsed as pandas does by default (numbers as numbers, the usual NA spellings as
missing), chunk by chunk, as training reads them.
"""

from __future__ import annotations

import csv
import io
import warnings
from collections.abc import Iterator
from typing import Protocol

import pandas as pd

from mlops_core.byte_scan import ByteScanner
from mlops_core.csv_errors import CsvReadError

BLOCK_BYTES = 1024 * 1024
LINE_GUARD = 16
_BOM = b"\xef\xbb\xbf"


class Readable(Protocol):
    def read(self, size: int = ...) -> bytes: ...


class CsvStream(io.RawIOBase):
    """Readable by pandas; ``header`` is the first row as written (duplicates kept)."""

    def __init__(self, source: Readable, *, max_field_bytes: int) -> None:
        super().__init__()
        self.scanner = ByteScanner()
        self.max_field_bytes = max_field_bytes
        self._source = source
        self._pending = b""
        self._ended = False
        self._line_limit = max(LINE_GUARD * max_field_bytes, BLOCK_BYTES)  # until the header is known
        self.header = self._read_header()
        self._line_limit = max(LINE_GUARD, len(self.header)) * max_field_bytes

    # io.RawIOBase protocol
    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if not self._pending and not self._ended:
            self._pending = self._next_block()
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size

    def chunks(self, rows: int) -> Iterator[pd.DataFrame]:
        """The data rows in chunks; raises CsvReadError for rows pandas cannot read."""
        # index_col=False: pandas would otherwise silently turn a first column into the
        # index when rows have one field more than the header; its ParserWarning is an error.
        reader = None
        while True:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("error", pd.errors.ParserWarning)
                    if reader is None:  # pandas parses the header here already
                        reader = pd.read_csv(self, chunksize=rows, index_col=False, encoding="utf-8-sig")
                    chunk = next(reader)
            except StopIteration:
                return
            except pd.errors.ParserWarning:
                raise CsvReadError("ragged_rows", f"the first data row has more fields than the header's "
                                   f"{len(self.header)}") from None
            except pd.errors.ParserError as error:
                raise _parser_error(error, len(self.header)) from None
            except pd.errors.EmptyDataError:
                raise CsvReadError("empty_file", "the file contains only whitespace") from None
            self._check_long_fields(chunk)
            yield chunk

    def missing_fields(self, records: int) -> int | None:
        """Fields missing from short rows, given the records read (header included); None
        when the quoting is too irregular to count (see byte_scan)."""
        commas = self.scanner.unquoted_commas
        if commas is None:
            return None
        return max(0, (len(self.header) - 1) * records - commas)

    def _next_block(self) -> bytes:
        block = self._source.read(BLOCK_BYTES)
        self._ended = not block
        self.scanner.feed(block, final=self._ended)
        if self.scanner.longest_line > self._line_limit:
            raise CsvReadError("enormous_field", f"line {self.scanner.longest_line_number} is longer than "
                               f"{self._line_limit} bytes (setting max_field_bytes is {self.max_field_bytes}); "
                               "is a quote left open?")
        return block

    def _read_header(self) -> list[str]:
        first = b""
        while b"\n" not in first and not self._ended:
            first += self._next_block()
        self._pending = first
        if not first.strip():
            raise CsvReadError("empty_file", "the file is empty" if not first else "the file contains only whitespace")
        line = first.removeprefix(_BOM).split(b"\n", 1)[0].rstrip(b"\r").decode("utf-8")
        try:
            return next(csv.reader([line]), [])
        except csv.Error as error:
            raise CsvReadError("csv_syntax", f"the header row cannot be parsed as CSV: {error}") from None

    def _check_long_fields(self, chunk: pd.DataFrame) -> None:
        # Only lines longer than the limit can hold a longer field, so text columns are measured
        # only once such a line went past (the scanner runs ahead of pandas' parsing).
        if self.scanner.longest_line <= self.max_field_bytes:
            return
        for name in chunk.columns:
            column = chunk[name]
            if pd.api.types.is_numeric_dtype(column):
                continue
            sizes = column.dropna().astype(str).str.encode("utf-8").str.len()
            if len(sizes) and sizes.max() > self.max_field_bytes:
                row = int(sizes.idxmax()) + 1  # pandas numbers rows on across chunks, from 0
                raise CsvReadError("enormous_field", f"a value of {int(sizes.max())} bytes in data row {row} "
                                   f"is longer than the {self.max_field_bytes} bytes allowed (setting "
                                   "max_field_bytes); is a quote left open, or a file pasted into a cell?",
                                   column=str(name))


def _parser_error(error: Exception, fields: int) -> CsvReadError:
    text = " ".join(str(error).split()).removeprefix("Error tokenizing data. C error: ")
    if text.startswith("Expected ") and " fields in line " in text:
        return CsvReadError("ragged_rows", f"{text.replace('Expected', 'expected', 1)}: every row must have "
                            f"the header's {fields} fields")
    if text.startswith("EOF inside string"):
        return CsvReadError("csv_syntax", f"a quoted field is never closed ({text}): a quote is missing")
    return CsvReadError("csv_syntax", f"the file cannot be parsed as CSV: {text}")
