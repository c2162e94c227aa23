"""Saved scenarios: a small SQLite database in a per-user data directory.

Each row holds a name and the scenario as TOML text (:func:`optimize.scenario_to_toml`), so
a stored scenario is the same thing a planner downloads or uploads. The text is validated
with :func:`optimize.parse_scenario` on the way in and on the way out. Every query uses
parameters; names are validated (length, no control characters) but may otherwise hold any
text, quotes and SQL included.

The database lives in ``$WIJKTEAM_DATA_DIR`` when set, else in
``$XDG_DATA_HOME/wijkteam`` or ``~/.local/share/wijkteam``; every function takes ``db=`` to
use another file. The path is resolved on every call (no module-level state), and each call
opens and closes its own connection, so several app sessions can share one database.

Examples
--------
>>> import optimize, tempfile, pathlib
>>> db = pathlib.Path(tempfile.mkdtemp()) / "s.sqlite"
>>> save("Plan 2026", optimize.load_scenario(), db=db).naam
'Plan 2026'
>>> [row.naam for row in list_scenarios(db=db)]
['Plan 2026']
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import optimize

__all__ = [
    "LOCAL_TZ",
    "MAX_NAME_LENGTH",
    "MODES",
    "SavedScenario",
    "ScenarioStoreError",
    "data_dir",
    "database_path",
    "delete",
    "list_scenarios",
    "load",
    "load_mode",
    "load_text",
    "local_time",
    "rename",
    "save",
    "validate_name",
]

MAX_NAME_LENGTH = 120
_FILE = "scenarios.sqlite"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS scenario (
    naam        TEXT PRIMARY KEY,
    toml        TEXT NOT NULL,
    budget      REAL NOT NULL,
    aangemaakt  TEXT NOT NULL,
    bijgewerkt  TEXT NOT NULL,
    modus       TEXT NOT NULL DEFAULT 'lp'
)
"""
#: Calculation modes a scenario can be saved with (see ``optimize.FormationModel``).
MODES = ("lp", "milp")
#: Time zone of the times shown to users.
LOCAL_TZ = "Europe/Amsterdam"
_MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip


class ScenarioStoreError(ValueError):
    """A bad scenario name, a missing or duplicate scenario, or an unusable database."""


@dataclass(frozen=True)
class SavedScenario:
    """One row of the store listing.

    Attributes
    ----------
    naam
        The name the scenario is saved under.
    budget
        Its budget ceiling, euros per year.
    aangemaakt, bijgewerkt
        ISO timestamps (UTC) of creation and last change (see :func:`local_time`).
    modus
        The calculation mode saved with it (``lp`` or ``milp``).
    """

    naam: str
    budget: float
    aangemaakt: str
    bijgewerkt: str
    modus: str = "lp"


def data_dir() -> Path:
    """Return the per-user data directory (not created).

    Returns
    -------
    pathlib.Path
        ``$WIJKTEAM_DATA_DIR``, else ``$XDG_DATA_HOME/wijkteam``, else
        ``~/.local/share/wijkteam``.
    """
    own = os.environ.get("WIJKTEAM_DATA_DIR")
    if own:
        return Path(own).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return base / "wijkteam"


def database_path(db: str | Path | None = None) -> Path:
    """Return the database file: ``db`` when given, else ``scenarios.sqlite`` in the data dir.

    Parameters
    ----------
    db
        Explicit database file.

    Returns
    -------
    pathlib.Path
        The path.
    """
    return Path(db) if db is not None else data_dir() / _FILE


def validate_name(name: object) -> str:
    """Check a scenario name and return it stripped.

    Parameters
    ----------
    name
        The proposed name.

    Returns
    -------
    str
        The name without surrounding whitespace.

    Raises
    ------
    ScenarioStoreError
        Not text, empty, longer than :data:`MAX_NAME_LENGTH` characters, or holding control
        characters (newlines, tabs, NUL).
    """
    if not isinstance(name, str):
        raise ScenarioStoreError(f"scenarionaam: verwacht tekst, gevonden {name!r}")
    clean = name.strip()
    if not clean:
        raise ScenarioStoreError("scenarionaam: mag niet leeg zijn")
    if len(clean) > MAX_NAME_LENGTH:
        raise ScenarioStoreError(
            f"scenarionaam: maximaal {MAX_NAME_LENGTH} tekens, gevonden {len(clean)}"
        )
    bad = sorted({repr(ch) for ch in clean if unicodedata.category(ch).startswith("C")})
    if bad:
        raise ScenarioStoreError(
            f"scenarionaam: geen stuurtekens toegestaan, gevonden {', '.join(bad)}"
        )
    return clean


@contextlib.contextmanager
def _connect(db: str | Path | None) -> Iterator[sqlite3.Connection]:
    path = database_path(db)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=10.0)
    except (OSError, sqlite3.Error) as exc:
        raise ScenarioStoreError(f"{path}: scenario-opslag niet te openen ({exc})") from None
    try:
        with conn:
            conn.execute(_SCHEMA)
            columns = {row[1] for row in conn.execute("PRAGMA table_info(scenario)")}
            if "modus" not in columns:  # a database of an earlier version
                conn.execute("ALTER TABLE scenario ADD COLUMN modus TEXT NOT NULL DEFAULT 'lp'")
            yield conn
    except sqlite3.DatabaseError as exc:
        raise ScenarioStoreError(f"{path}: fout in de scenario-opslag ({exc})") from None
    finally:
        conn.close()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def local_time(stamp: str) -> str:
    """Return a stored UTC timestamp as Dutch local time: ``1 december 2026, 10:12``.

    Parameters
    ----------
    stamp
        ISO timestamp as stored (UTC).

    Returns
    -------
    str
        Day, Dutch month name, year and time in Europe/Amsterdam (summer time included).

    Examples
    --------
    >>> local_time("2026-07-01T08:30:00+00:00")
    '1 juli 2026, 10:30'
    >>> local_time("2026-12-01T08:30:00+00:00")
    '1 december 2026, 09:30'
    """
    moment = datetime.fromisoformat(stamp)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    local = moment.astimezone(ZoneInfo(LOCAL_TZ))
    return f"{local.day} {_MONTHS[local.month - 1]} {local.year}, {local:%H:%M}"


def _check_mode(modus: str) -> str:
    if modus not in MODES:
        raise ScenarioStoreError(f"rekenwijze: verwacht {' of '.join(MODES)}, gevonden {modus!r}")
    return modus


def save(
    name: str,
    scenario: optimize.Scenario,
    *,
    overwrite: bool = True,
    modus: str = "lp",
    db: str | Path | None = None,
) -> optimize.Scenario:
    """Save a scenario under ``name`` (its ``naam`` becomes ``name``).

    Parameters
    ----------
    name
        The name to save under.
    scenario
        The scenario.
    overwrite
        Replace an existing scenario of that name; with ``False`` that is an error.
    modus
        The calculation mode to save with it (``lp`` or ``milp``).
    db
        Database file; default in :func:`data_dir`.

    Returns
    -------
    optimize.Scenario
        The scenario as stored (with ``naam = name``).

    Raises
    ------
    ScenarioStoreError
        Bad name or mode, the name exists and ``overwrite`` is false, or the database is
        unusable.
    """
    clean = validate_name(name)
    _check_mode(modus)
    stored = scenario.replace(naam=clean)
    text = optimize.scenario_to_toml(stored)
    now = _now()
    with _connect(db) as conn:
        exists = conn.execute("SELECT 1 FROM scenario WHERE naam = ?", (clean,)).fetchone()
        if exists and not overwrite:
            raise ScenarioStoreError(f"scenario {clean!r} bestaat al")
        conn.execute(
            "INSERT INTO scenario (naam, toml, budget, aangemaakt, bijgewerkt, modus) "
            "VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(naam) DO UPDATE SET toml = excluded.toml, budget = excluded.budget, "
            "bijgewerkt = excluded.bijgewerkt, modus = excluded.modus",
            (clean, text, float(stored.budget), now, now, modus),
        )
    return stored


def list_scenarios(*, db: str | Path | None = None) -> list[SavedScenario]:
    """List the saved scenarios, most recently changed first.

    Parameters
    ----------
    db
        Database file; default in :func:`data_dir`.

    Returns
    -------
    list of SavedScenario
        The rows.
    """
    with _connect(db) as conn:
        rows = conn.execute(
            "SELECT naam, budget, aangemaakt, bijgewerkt, modus FROM scenario "
            "ORDER BY bijgewerkt DESC, naam"
        ).fetchall()
    return [SavedScenario(str(n), float(b), str(a), str(u), str(m)) for n, b, a, u, m in rows]


def load_mode(name: str, *, db: str | Path | None = None) -> str:
    """Return the calculation mode saved with scenario ``name``.

    Parameters
    ----------
    name
        The scenario name.
    db
        Database file; default in :func:`data_dir`.

    Returns
    -------
    str
        ``lp`` or ``milp``.

    Raises
    ------
    ScenarioStoreError
        No scenario with that name.
    """
    clean = validate_name(name)
    with _connect(db) as conn:
        mode = _stored(conn, clean, "modus")
    return mode if mode in MODES else "lp"


def _stored(conn: sqlite3.Connection, name: str, column: str = "toml") -> str:
    """Return one stored column (``toml``, ``modus``) of scenario ``name``; raise if absent."""
    if column not in ("toml", "modus"):
        raise ValueError(f"unknown column {column!r}")
    row = conn.execute(f"SELECT {column} FROM scenario WHERE naam = ?", (name,)).fetchone()
    if row is None:
        raise ScenarioStoreError(f"scenario {name!r} bestaat niet")
    return str(row[0])


def load_text(name: str, *, db: str | Path | None = None) -> str:
    """Return the stored TOML text of scenario ``name``.

    Parameters
    ----------
    name
        The scenario name.
    db
        Database file; default in :func:`data_dir`.

    Returns
    -------
    str
        TOML text.

    Raises
    ------
    ScenarioStoreError
        No scenario with that name.
    """
    clean = validate_name(name)
    with _connect(db) as conn:
        return _stored(conn, clean)


def load(name: str, *, db: str | Path | None = None) -> optimize.Scenario:
    """Load and validate scenario ``name``.

    Parameters
    ----------
    name
        The scenario name.
    db
        Database file; default in :func:`data_dir`.

    Returns
    -------
    optimize.Scenario
        The scenario.

    Raises
    ------
    ScenarioStoreError
        No scenario with that name.
    optimize.ValidationError
        The stored text is no longer a valid scenario.
    """
    clean = validate_name(name)
    return optimize.parse_scenario(load_text(clean, db=db), source=f"opgeslagen scenario {clean}")


def rename(old: str, new: str, *, db: str | Path | None = None) -> None:
    """Rename a saved scenario (and the ``naam`` inside its TOML).

    Parameters
    ----------
    old, new
        Current and new name.
    db
        Database file; default in :func:`data_dir`.

    Raises
    ------
    ScenarioStoreError
        Bad name, ``old`` does not exist or ``new`` already does.
    """
    src, dst = validate_name(old), validate_name(new)
    if src == dst:
        return
    with _connect(db) as conn:
        stored = _stored(conn, src)
        if conn.execute("SELECT 1 FROM scenario WHERE naam = ?", (dst,)).fetchone():
            raise ScenarioStoreError(f"scenario {dst!r} bestaat al")
        scenario = optimize.parse_scenario(stored, source=f"opgeslagen scenario {src}")
        text = optimize.scenario_to_toml(scenario.replace(naam=dst))
        conn.execute(
            "UPDATE scenario SET naam = ?, toml = ?, bijgewerkt = ? WHERE naam = ?",
            (dst, text, _now(), src),
        )


def delete(name: str, *, db: str | Path | None = None) -> None:
    """Delete a saved scenario.

    Parameters
    ----------
    name
        The scenario name.
    db
        Database file; default in :func:`data_dir`.

    Raises
    ------
    ScenarioStoreError
        No scenario with that name.
    """
    clean = validate_name(name)
    with _connect(db) as conn:
        cur = conn.execute("DELETE FROM scenario WHERE naam = ?", (clean,))
        if cur.rowcount == 0:
            raise ScenarioStoreError(f"scenario {clean!r} bestaat niet")
