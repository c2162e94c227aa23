"""Atomic file writing: a temp file in the target folder, then ``os.replace``."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd

#: CSV dialect for exports: what Dutch Excel opens directly (as CBS StatLine does).
CSV_OPTIONS: dict[str, str] = {"sep": ";", "decimal": ",", "encoding": "utf-8-sig"}


def write_bytes_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def csv_bytes(frame: pd.DataFrame, *, index: bool = True) -> bytes:
    """Render a table in the export CSV dialect."""
    text = frame.to_csv(sep=CSV_OPTIONS["sep"], decimal=CSV_OPTIONS["decimal"], index=index)
    return text.encode(CSV_OPTIONS["encoding"])
