"""Reading CSV bytes as text without changing values, and naming what is wrong when it fails."""

from __future__ import annotations

import pytest

from mlops_core.csv_reading import CsvReadError, read_csv, write_csv_bytes


def _check_of(data: bytes) -> str:
    with pytest.raises(CsvReadError) as raised:
        read_csv(data)
    return raised.value.check


def test_values_are_kept_as_written_text():
    _, frame = read_csv(b"a,b\n18,0.10\n007,x\n")
    assert frame.to_dict("list") == {"a": ["18", "007"], "b": ["0.10", "x"]}


def test_missing_spellings_become_missing():
    _, frame = read_csv(b"a,b\nNA,\n1,2\n")
    assert frame["a"].isna().tolist() == [True, False]
    assert frame["b"].isna().tolist() == [True, False]


def test_header_keeps_duplicated_names_as_written():
    header, _ = read_csv(b"a,a,b\n1,2,3\n")
    assert header == ["a", "a", "b"]


def test_a_utf8_byte_order_mark_is_not_part_of_the_first_name():
    header, frame = read_csv(b"\xef\xbb\xbfspecies,x\nA,1\n")
    assert header[0] == "species" and list(frame.columns)[0] == "species"


def test_quoted_commas_and_newlines_round_trip():
    data = b'a,b\n"x, y","line1\nline2"\n'
    _, frame = read_csv(data)
    assert write_csv_bytes(frame) == data


def test_missing_cells_are_written_empty():
    _, frame = read_csv(b"a,b\nNA,1\n")
    assert write_csv_bytes(frame) == b"a,b\n,1\n"


@pytest.mark.parametrize(
    "data, check",
    [
        (b"", "empty_file"),
        (b" \n\n", "empty_file"),
        (b"PK\x03\x04\x00\x00binary", "binary_content"),
        ("a\nsí\n".encode("latin-1"), "text_encoding"),
        (b'a,b\n"open,1\n', "csv_syntax"),
        (b"a,b\n1,2,3\n", "csv_syntax"),
    ],
    ids=["empty", "whitespace", "zip", "latin-1", "open quote", "extra field"],
)
def test_unreadable_input_names_the_failed_check(data, check):
    assert _check_of(data) == check


def test_rows_with_an_extra_field_are_not_silently_used_as_index():
    # pandas would otherwise take the first column as the index when every row has one extra.
    with pytest.raises(CsvReadError, match="more fields than the header"):
        read_csv(b"a,b\n1,2,3\n4,5,6\n")


def test_invalid_utf8_message_gives_the_byte_offset():
    with pytest.raises(CsvReadError, match="offset 5"):
        read_csv(b"a,b\n1\xff,2\n")


def test_invalid_utf8_offset_is_exact_across_decoding_chunks():
    data = b"a\n" + b"x" * (1024 * 1024 - 3) + "é".encode() + b"\n\xff\n"  # 'é' straddles the chunk edge
    with pytest.raises(CsvReadError, match=f"offset {len(data) - 2}"):
        read_csv(data)
