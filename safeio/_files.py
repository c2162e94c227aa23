"""All-or-nothing output files: a staging folder in the target folder, then renames."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

__all__ = ["OutputError", "check_output_dir", "write_file", "write_files"]


class OutputError(ValueError):
    """An output cannot be written; the message names the path and the reason (Dutch)."""


_REASONS = {
    errno.EACCES: "geen schrijfrechten",
    errno.EPERM: "niet toegestaan",
    errno.EROFS: "alleen-lezen bestandssysteem",
    errno.ENOSPC: "schijf vol",
    errno.ENOENT: "map bestaat niet of kan niet worden gemaakt",
    errno.ENOTDIR: "een deel van het pad is een bestand",
    errno.EISDIR: "is een map",
    errno.EDQUOT: "schijfquotum vol",
}


def _reason(exc: OSError) -> str:
    return _REASONS.get(exc.errno or 0, exc.strerror or type(exc).__name__)


def check_output_dir(folder: str | Path, *, option: str = "--out") -> Path:
    """Check that ``folder`` is, or can become, a writable output folder; create nothing.

    Parameters
    ----------
    folder
        The output folder.
    option
        Name of the option for messages.

    Returns
    -------
    pathlib.Path
        The folder.

    Raises
    ------
    OutputError
        A dangling symlink, an existing file, a path below a file, or a folder that is not
        writable.
    """
    out = Path(folder)
    if out.is_symlink() and not out.exists():
        raise OutputError(
            f"{option} {out}: is een symbolische koppeling naar iets dat niet bestaat"
        )
    if out.exists():
        if not out.is_dir():
            raise OutputError(f"{option} {out}: bestaat al en is een bestand, geen map")
        if not os.access(out, os.W_OK | os.X_OK):
            raise OutputError(f"{option} {out}: map is niet schrijfbaar")
        return out
    parent = out.parent
    while not parent.exists():
        if parent.is_symlink():
            raise OutputError(f"{option} {out}: {parent} is een kapotte symbolische koppeling")
        parent = parent.parent
    if not parent.is_dir():
        raise OutputError(f"{option} {out}: {parent} is een bestand, geen map")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"{option} {out}: kan de map niet maken in {parent} (niet schrijfbaar)")
    return out


def _protected(paths: Iterable[str | Path]) -> set[Path]:
    out = set()
    for p in paths:
        with contextlib.suppress(OSError, RuntimeError):
            out.add(Path(p).resolve())
    return out


def write_files(
    folder: str | Path,
    files: Mapping[str, bytes],
    *,
    protect: Iterable[str | Path] = (),
    option: str = "--out",
) -> list[Path]:
    """Write ``files`` (name → bytes) into ``folder``, all of them or none.

    The files are written into a hidden staging folder inside ``folder`` (the same
    filesystem), then moved into place one by one; an existing file is kept aside until the
    whole set is in place and put back if any step fails. A folder created here is removed
    again on failure.

    Parameters
    ----------
    folder
        Output folder (created when missing).
    files
        File name (no folders) → content.
    protect
        Input files that must never be overwritten.
    option
        Name of the option for messages.

    Returns
    -------
    list of pathlib.Path
        The written files, in the order of ``files``.

    Raises
    ------
    OutputError
        For any file-system problem, a name that exists as a folder, or an output that would
        overwrite a protected input; nothing is left behind.
    """
    out = check_output_dir(folder, option=option)
    guarded = _protected(protect)
    targets = {}
    for name in files:
        if Path(name).name != name or name in ("", ".", ".."):
            raise OutputError(f"{option} {out}: ongeldige bestandsnaam {name!r}")
        target = out / name
        if target.is_dir() and not target.is_symlink():
            raise OutputError(f"{option} {out}: {name} bestaat al als map")
        with contextlib.suppress(OSError, RuntimeError):
            if target.resolve() in guarded:
                raise OutputError(f"{option} {target}: zou een invoerbestand overschrijven")
        targets[name] = target
    created = not out.exists()
    try:
        out.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=".wijkteam-", dir=out))
    except OSError as exc:
        if created:
            _remove_created(out)
        raise OutputError(f"{option} {out}: kan niet schrijven ({_reason(exc)})") from None
    moved: list[tuple[Path, Path | None]] = []
    try:
        umask = os.umask(0)
        os.umask(umask)
        for name, data in files.items():
            tmp = stage / name
            with open(tmp, "wb") as fh:
                fh.write(data)
            os.chmod(tmp, 0o666 & ~umask)
        for name, target in targets.items():
            backup = None
            if target.exists() or target.is_symlink():
                backup = stage / f"{name}.oud"
                os.replace(target, backup)
            moved.append((target, backup))
            os.replace(stage / name, target)
    except OSError as exc:
        for target, backup in reversed(moved):
            with contextlib.suppress(OSError):
                if backup is not None:
                    os.replace(backup, target)
                else:
                    target.unlink(missing_ok=True)
        shutil.rmtree(stage, ignore_errors=True)
        if created:
            _remove_created(out)
        raise OutputError(f"{option} {out}: kan niet schrijven ({_reason(exc)})") from None
    shutil.rmtree(stage, ignore_errors=True)
    return list(targets.values())


def _remove_created(folder: Path) -> None:
    with contextlib.suppress(OSError):
        folder.rmdir()


def write_file(
    path: str | Path,
    data: bytes,
    *,
    overwrite: bool = False,
    protect: Iterable[str | Path] = (),
    option: str = "--out",
) -> Path:
    """Write one file atomically; refuse an existing file unless ``overwrite``.

    Parameters
    ----------
    path
        The file.
    data
        Its content.
    overwrite
        Replace an existing file (never a protected input).
    protect
        Input files that must never be overwritten.
    option
        Name of the option for messages.

    Returns
    -------
    pathlib.Path
        The written file.

    Raises
    ------
    OutputError
        An existing file without ``overwrite``, a folder, a dangling symlink, a path below a
        file, a protected input or any file-system problem.
    """
    target = Path(path)
    if target.is_symlink() and not target.exists():
        raise OutputError(
            f"{option} {target}: is een symbolische koppeling naar iets dat niet bestaat"
        )
    if target.is_dir():
        raise OutputError(f"{option} {target}: is een map, geen bestand")
    if target.exists() and not overwrite:
        raise OutputError(
            f"{option} {target}: bestaat al; kies een andere naam of geef --overschrijven"
        )
    return write_files(target.parent, {target.name: data}, protect=protect, option=option)[0]
