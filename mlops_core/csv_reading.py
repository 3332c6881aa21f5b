"""Read an uploaded CSV (bytes) into a DataFrame without changing any value.

Every column is read as text: type inference would rewrite values on the way out (``18``
becomes ``18.0`` once a column has a gap), and the prepared splits must carry the user's
values unchanged. Missing cells (pandas' default NA spellings: empty, ``NA``, ``NaN``, ``null``
...) become NaN, so they are written back as empty cells and read as missing by training.

Failures raise CsvReadError with the name of the failed check and a plain-words message, so
validation can report them and preparation can fail with the same words.
"""

from __future__ import annotations

import io
import warnings

import pandas as pd

from mlops_core.byte_scan import ByteScanner
from mlops_core.csv_errors import CsvReadError

__all__ = ["CsvReadError", "read_csv", "write_csv_bytes"]

# 'utf-8-sig' drops a leading byte-order mark (Excel writes one) instead of glueing it to the
# first column name, which would then not match the configured target.
_ENCODING = "utf-8-sig"


def read_csv(data: bytes) -> tuple[list[str], pd.DataFrame]:
    """(header as written, all rows): every column as text, missing cells as NaN.

    The header comes separately because pandas renames duplicated names (``a``, ``a.1``) and
    empty ones (``Unnamed: 0``) in the frame, and validation must report them as written.
    """
    _check_text(data)
    return _read_header(data), _read_rows(data)


def _read_header(data: bytes) -> list[str]:
    try:
        first = pd.read_csv(
            io.BytesIO(data), header=None, nrows=1, dtype=str, keep_default_na=False, encoding=_ENCODING
        )
    except pd.errors.EmptyDataError:
        raise CsvReadError("empty_file", "the file has no header row (it is empty or only blank lines)") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise CsvReadError("csv_syntax", f"the header row cannot be parsed as CSV: {_one_line(error)}") from None
    return [str(name) for name in first.iloc[0].tolist()] if len(first) else []


def _read_rows(data: bytes) -> pd.DataFrame:
    try:
        # pandas silently turns a first column into the index, or drops trailing fields, when
        # rows have more fields than the header; index_col=False plus its ParserWarning made an
        # error turns both into a reported problem instead of lost data.
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            return pd.read_csv(io.BytesIO(data), dtype=str, index_col=False, encoding=_ENCODING)
    except pd.errors.EmptyDataError:
        raise CsvReadError("empty_file", "the file has no header row (it is empty or only blank lines)") from None
    except pd.errors.ParserWarning:
        raise CsvReadError("csv_syntax", "some rows have more fields than the header row") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise CsvReadError("csv_syntax", f"the file cannot be parsed as CSV: {_one_line(error)}") from None


def write_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a header row, no index, missing cells as empty, '\\n' line ends."""
    return frame.to_csv(index=False, na_rep="", lineterminator="\n").encode("utf-8")


def _check_text(data: bytes) -> None:
    # Checked before pandas sees the bytes, because pandas either fails with a cryptic message
    # or, worse, "parses" a spreadsheet or Parquet file into a column of garbage.
    if not data.strip():
        raise CsvReadError("empty_file", "the file is empty" if not data else "the file contains only whitespace")
    ByteScanner().feed(data, final=True)


def _one_line(error: BaseException) -> str:
    # pandas prefixes its tokenizer messages with this; it says nothing to a user.
    text = " ".join(str(error).split())
    return text.removeprefix("Error tokenizing data. C error: ")
