"""The shared CSV-text reader: bounded, streaming, encoding and delimiter detected.

Every CSV reader of :mod:`geo.io` goes through :func:`read_text` and :func:`read_frame`, so
the limits and the checks below hold for every table a user gives:

* the file may be at most :data:`MAX_UPLOAD_BYTES` on disk;
* a gzip file (``.gz`` in any case, or gzip magic bytes) is decompressed *while streaming*
  in chunks of 1 MiB and refused as soon as the text passes :data:`MAX_TEXT_BYTES`, so a
  small "zip bomb" never gets unpacked whole;
* UTF-8 (with or without BOM) is read as is; a file that is not UTF-8 but decodes as
  Windows-1252 (what Dutch Excel writes for "CSV (gescheiden door lijstscheidingsteken)")
  is read as cp1252 with a warning that says so; UTF-16 and binary files are refused;
* the delimiter (``;``, ``,`` or tab) is taken from the header line;
* a column present twice is refused, naming the column;
* an unreadable file (permissions, a folder) is a :class:`~geo.ValidationError` naming it.
"""

from __future__ import annotations

import csv
import gzip
import io
import warnings
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from geo._errors import ValidationError

__all__ = [
    "MAX_TEXT_BYTES",
    "MAX_UPLOAD_BYTES",
    "TextFile",
    "check_file",
    "read_frame",
    "read_text",
]

#: Largest input file on disk (the app's upload limit too).
MAX_UPLOAD_BYTES = 200 * 1024 * 1024
#: Largest text after decompression; decompression stops as soon as it is passed.
MAX_TEXT_BYTES = 100 * 1024 * 1024
_CHUNK = 1024 * 1024
_GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class TextFile:
    """The decoded text of one input file.

    Attributes
    ----------
    path
        The file.
    text
        Its text (decompressed, decoded, without BOM).
    encoding
        ``"utf-8"`` or ``"cp1252"``.
    """

    path: Path
    text: str
    encoding: str


def check_file(path: Path, *, max_bytes: int = MAX_UPLOAD_BYTES) -> int:
    """Check that ``path`` is a readable, non-empty file within the size limit.

    Parameters
    ----------
    path
        The file.
    max_bytes
        Largest size allowed.

    Returns
    -------
    int
        The size in bytes.

    Raises
    ------
    ValidationError
        For a missing, empty, too large or unreadable file, or a folder.
    """
    try:
        if not path.exists():
            raise ValidationError(f"{path}: bestand bestaat niet")
        if path.is_dir():
            raise ValidationError(f"{path}: is een map, geen bestand")
        size = path.stat().st_size
        with path.open("rb") as fh:
            fh.read(1)
    except PermissionError:
        raise ValidationError(f"{path}: bestand kan niet gelezen worden (geen toegang)") from None
    except OSError as exc:
        raise ValidationError(f"{path}: bestand kan niet gelezen worden ({exc.strerror})") from None
    if size == 0:
        raise ValidationError(f"{path}: bestand is leeg")
    if size > max_bytes:
        raise ValidationError(
            f"{path}: bestand is te groot ({size / 2**20:.0f} MB, maximaal "
            f"{max_bytes / 2**20:.0f} MB)"
        )
    return size


def _read_bytes(path: Path, *, max_text: int) -> bytes | bytearray:
    """Read a file, decompressing gzip while streaming; stop at ``max_text`` bytes."""
    try:
        with path.open("rb") as fh:
            magic = fh.read(2)
    except OSError as exc:
        raise ValidationError(f"{path}: bestand kan niet gelezen worden ({exc.strerror})") from None
    is_gz = path.name.lower().endswith(".gz") or magic == _GZIP_MAGIC
    if not is_gz:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ValidationError(
                f"{path}: bestand kan niet gelezen worden ({exc.strerror})"
            ) from None
        if len(data) > max_text:
            raise ValidationError(
                f"{path}: bestand is te groot (meer dan {max_text / 2**20:.0f} MB tekst)"
            )
        return data
    buf = bytearray()
    try:
        with gzip.open(path, "rb") as fh:
            while chunk := fh.read(_CHUNK):
                if len(buf) + len(chunk) > max_text:
                    raise ValidationError(
                        f"{path}: uitgepakt groter dan {max_text / 2**20:.0f} MB; "
                        "gestopt met uitpakken (limiet voor tekstbestanden)"
                    )
                buf += chunk
    except (OSError, EOFError, zlib.error) as exc:
        raise ValidationError(f"{path}: geen geldig gzip-bestand ({exc})") from None
    return buf


def read_text(path: str | Path, *, max_text: int = MAX_TEXT_BYTES) -> TextFile:
    """Read a text file (optionally gzip) with the limits of this module.

    Parameters
    ----------
    path
        CSV or text file, ``.gz`` (any case) allowed.
    max_text
        Largest decompressed size.

    Returns
    -------
    TextFile
        The text and the encoding used.

    Raises
    ------
    ValidationError
        For a missing, unreadable, too large, binary or UTF-16 file, or broken gzip.
    """
    path = Path(path)
    check_file(path)
    raw = _read_bytes(path, max_text=max_text)
    if not raw.strip():
        raise ValidationError(f"{path}: bestand is leeg")
    if b"\x00" in raw[:4096]:
        raise ValidationError(
            f"{path}: bestand is geen tekst-CSV (UTF-16 of binair); sla op als 'CSV UTF-8'"
        )
    try:
        return TextFile(path, raw.decode("utf-8-sig"), "utf-8")
    except UnicodeDecodeError as exc:
        start = exc.start
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        raise ValidationError(
            f"{path}: bestand is niet UTF-8-gecodeerd (byte {start}) en ook geen Windows-1252; "
            "sla het op als 'CSV UTF-8'"
        ) from None
    warnings.warn(
        f"{path.name}: geen UTF-8; gelezen als Windows-1252 (cp1252), de standaard van "
        "Nederlandstalige Excel",
        UserWarning,
        stacklevel=3,
    )
    return TextFile(path, text, "cp1252")


def sniff_delimiter(line: str) -> str:
    """Return the delimiter of a header line: ``;``, ``,`` or a tab."""
    counts = {d: line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def parse_csv(text: str, *, path: Path, delimiter: str | None = None) -> pd.DataFrame:
    """Parse CSV text into a frame of stripped strings (no NA conversion).

    Parameters
    ----------
    text
        The CSV text.
    path
        For messages.
    delimiter
        Default: sniffed from the first line.

    Returns
    -------
    pandas.DataFrame
        All values as strings; column names stripped of spaces and quotes.

    Raises
    ------
    ValidationError
        For an empty header, a parse error, no rows or a duplicate column.
    """
    first = text.splitlines()[0] if text.strip() else ""
    if not first.strip():
        raise ValidationError(f"{path}: eerste regel (kolomkoppen) is leeg")
    sep = delimiter or sniff_delimiter(first)
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            dtype=str,
            keep_default_na=False,
            skipinitialspace=True,
        )
    except (pd.errors.ParserError, csv.Error, UnicodeError) as exc:
        msg = str(exc).splitlines()[0]
        raise ValidationError(f"{path}: CSV kan niet gelezen worden ({msg})") from None
    raw_cols = [str(c).strip().strip('"').strip() for c in frame.columns]
    # pandas renames a repeated header "x" to "x.1"; compare against the header itself
    header = next(csv.reader([first], delimiter=sep))
    header = [h.strip().strip('"').strip() for h in header]
    seen: set[str] = set()
    for name in header:
        if name and name in seen:
            raise ValidationError(f"{path}: kolom {name!r} komt meer dan eens voor")
        seen.add(name)
    frame.columns = raw_cols
    if frame.empty:
        raise ValidationError(f"{path}: bevat kolomkoppen maar geen rijen")
    frame.attrs["delimiter"] = sep
    return frame


def read_frame(
    path: str | Path, *, required: Sequence[str] = (), text: TextFile | None = None
) -> pd.DataFrame:
    """Read a CSV (``,``, ``;`` or tab; optionally gzip) with all columns as strings.

    Parameters
    ----------
    path
        The file.
    required
        Columns that must be present.
    text
        Already read text of ``path`` (to avoid reading twice).

    Returns
    -------
    pandas.DataFrame
        All values as strings; ``attrs["delimiter"]`` and ``attrs["encoding"]`` set.

    Raises
    ------
    ValidationError
        See :func:`read_text` and :func:`parse_csv`; also for a missing required column.
    """
    path = Path(path)
    tf = text if text is not None else read_text(path)
    frame = parse_csv(tf.text, path=path)
    frame.attrs["encoding"] = tf.encoding
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise ValidationError(
            f"{path}: kolom {missing[0]!r} ontbreekt (gevonden: {', '.join(frame.columns[:8])}"
            f"{', …' if len(frame.columns) > 8 else ''})"
        )
    return frame
