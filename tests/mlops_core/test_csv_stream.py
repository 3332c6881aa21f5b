"""Streaming a CSV into chunks: every byte checked once, problems named by check (and column)."""

from __future__ import annotations

import io

import pytest

from mlops_core import csv_stream
from mlops_core.csv_errors import CsvReadError
from mlops_core.csv_stream import CsvStream


class Trickle(io.RawIOBase):
    """A source that returns a few bytes per read, as a network body may."""

    def __init__(self, data: bytes, step: int) -> None:
        self._data, self._step = data, step

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        part, self._data = self._data[: self._step], self._data[self._step:]
        return part


def _read(data: bytes, *, max_field_bytes: int = 1000, rows: int = 2, step: int | None = None):
    source = Trickle(data, step) if step else io.BytesIO(data)
    stream = CsvStream(source, max_field_bytes=max_field_bytes)
    chunks = list(stream.chunks(rows))
    count = sum(len(chunk) for chunk in chunks)
    return stream, chunks, count


def _error(data: bytes, **options) -> CsvReadError:
    with pytest.raises(CsvReadError) as raised:
        _read(data, **options)
    return raised.value


def test_rows_arrive_in_chunks_with_pandas_types():
    stream, chunks, count = _read(b"a,b\n1,x\n2,y\n3,z\n")
    assert (stream.header, count, [len(c) for c in chunks]) == (["a", "b"], 3, [2, 1])
    assert chunks[0]["a"].dtype.kind == "i"


def test_the_header_is_kept_as_written_without_the_byte_order_mark():
    stream, _, _ = _read(b'\xef\xbb\xbf"a","a",b\n1,2,3\n')
    assert stream.header == ["a", "a", "b"]


@pytest.mark.parametrize("data, check", [
    (b"", "empty_file"),
    (b"  \n\n", "empty_file"),
    (b"a,b\n1,\x00\n", "binary_content"),
    (b"a,b\n1,\xe9t\xe9\n", "text_encoding"),
    (b"a,b\n\"1,2\n3,4\n", "csv_syntax"),
])
def test_unreadable_bytes_are_named(data, check):
    assert _error(data).check == check


def test_an_invalid_byte_is_located_even_when_a_character_is_split_across_reads():
    data = "a,b\nné,1\n".encode() + b"x,\xff\n"
    assert "offset 12" in _error(data, step=5).message


def test_a_row_with_more_fields_than_the_header_is_ragged():
    error = _error(b"a,b,c\n1,2,3\n4,5,6,7\n")
    assert error.check == "ragged_rows" and "line 3" in error.message


@pytest.mark.parametrize("data, missing", [
    (b"a,b,c\n1,2,3\n4,5\n6,7,8\n", 1),
    (b"a,b,c\n1,2,3\n4\n", 2),
    (b"a,b,c\n1,,\n,,\n", 0),  # empty fields with their commas are fine
    (b'"a","b"\n"x,y"\n"z","2"\n', 1),  # a quoted comma is no separator
    (b'a,b\n"x""y",1\n"line\nbreak",2\n', 0),
    (b'a,b\n5",1\n3\n', None),  # a quote inside a field: not countable, not guessed
])
def test_rows_with_fewer_fields_are_counted_from_the_separators(data, missing):
    stream, _, count = _read(data, step=3)
    assert stream.missing_fields(count + 1) == missing


def test_an_enormous_field_is_named_by_column_and_row():
    error = _error(b"a,b\nx,1\n" + b"y," + b"z" * 5000 + b"\n", max_field_bytes=1000)
    assert (error.check, error.column) == ("enormous_field", "b")
    assert "data row 2" in error.message and "max_field_bytes" in error.message


def test_a_long_line_of_short_fields_is_fine():
    wide = ",".join(f"c{i}" for i in range(400)).encode()
    _, _, count = _read(wide + b"\n" + wide + b"\n", max_field_bytes=100)
    assert count == 1


def test_an_unending_line_stops_reading_before_pandas_buffers_it(monkeypatch):
    monkeypatch.setattr(csv_stream, "BLOCK_BYTES", 1024)
    error = _error(b"a,b\n" + b'1,"' + b"x" * 50_000, max_field_bytes=100)
    assert error.check == "enormous_field" and "line 2" in error.message
