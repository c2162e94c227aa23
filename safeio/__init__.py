r"""Safe outputs shared by ``geo`` and ``optimize``: clean text, inert cells, all-or-nothing files.

A bottom-layer package: it imports only the standard library and pandas, so ``geo`` and
``optimize`` (which must not import each other) both use it.

* :func:`clean_text` strips control characters (C0 except tab/newline/CR, DEL, C1, bidi
  overrides) that break Excel (openpyxl ``IllegalCharacterError``) or a terminal;
* :func:`cell_text` / :func:`csv_frame` / :func:`inert_sheet` make text cells that start with
  ``=``, ``+``, ``-``, ``@``, tab or CR inert (OWASP CSV injection advice: a leading ``'`` in
  CSV, an explicit string type with quote prefix in Excel);
* :func:`terminal_text` shows control characters as visible escapes (``\x1b``);
* :func:`check_output_dir` and :func:`write_files` write a set of files all-or-nothing: into
  a staging folder in the target folder (same filesystem), then moved into place, so a
  failure leaves no partial set and an input file is never overwritten.
"""

from __future__ import annotations

from safeio._files import OutputError, check_output_dir, write_file, write_files
from safeio._text import (
    FORMULA_START,
    cell_text,
    clean_frame,
    clean_text,
    csv_frame,
    inert_sheet,
    terminal_text,
)

__all__ = [
    "FORMULA_START",
    "OutputError",
    "cell_text",
    "check_output_dir",
    "clean_frame",
    "clean_text",
    "csv_frame",
    "inert_sheet",
    "terminal_text",
    "write_file",
    "write_files",
]
