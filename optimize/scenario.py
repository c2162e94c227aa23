"""Scenario files (TOML): budget, disciplines, team size, objective weights, phases.

A scenario is a validated, frozen :class:`Scenario`. :func:`load_scenario` reads a file (the
embedded Haarlem default when no path is given), :func:`parse_scenario` reads TOML text and
:func:`scenario_to_toml` writes one back, so the app can download, upload and store it.
Validation collects every problem and raises one :class:`ValidationError` naming the key,
the expected and the actual value.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import tomllib
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w

from optimize._errors import ValidationError

__all__ = [
    "DEFAULT_SCENARIO",
    "MUNICIPAL",
    "Discipline",
    "Phase",
    "Scenario",
    "load_scenario",
    "parse_scenario",
    "scenario_to_toml",
    "validate_raw",
]

#: The embedded default scenario (Haarlem, ten teams, budget 2017-2019).
DEFAULT_SCENARIO = (
    Path(__file__).resolve().parents[1] / "data" / "scenarios" / "haarlem_default.toml"
)

#: Funder whose money counts against the budget ceiling.
MUNICIPAL = "gemeente"

#: Budgets above this are treated as a typing error (a thousand times Haarlem's).
MAX_BUDGET = 10_000_000_000.0
MAX_HOURS = 400.0
MAX_SCENARIO_BYTES = 1_000_000
#: Deepest nesting a scenario needs (``discipline.<key>.behoefte.<thema>`` = 4, plus one).
MAX_DEPTH = 5
MAX_DISCIPLINES = 100
MAX_TEAMS = 5_000
MAX_PHASES = 50
MAX_NAME = 200


@dataclass(frozen=True)
class Discipline:
    """One function in the team.

    Parameters
    ----------
    key
        Identifier used in files and tables (``ggz``).
    naam
        Dutch display name.
    kosten_per_uur
        Cost of one weekly hour for one year, euros.
    huidig
        Current hours per week per team (the default current formation).
    min_uren, max_uren
        Bounds on the hours per team.
    gefinancierd_door
        Funder; only ``gemeente`` counts against the ceiling.
    verplicht
        Must be present in every team (at least one block of hours).
    min_contract, max_contract
        Contract hours per person (mixed-integer mode; LP mode reports small contracts).
    gewicht
        Objective weight of a shortfall hour.
    behoefte
        Need theme → weight; the discipline's need in a team is the weighted sum of the
        team's theme need counts.
    organisatie
        Employer ("moederorganisatie"), for display.
    """

    key: str
    naam: str
    kosten_per_uur: float
    huidig: float
    min_uren: float
    max_uren: float
    gefinancierd_door: str = MUNICIPAL
    verplicht: bool = False
    min_contract: float = 12.0
    max_contract: float = 36.0
    gewicht: float = 1.0
    behoefte: Mapping[str, float] = field(default_factory=dict)
    organisatie: str = ""

    @property
    def municipal(self) -> bool:
        """Whether the discipline is paid from the municipal budget ceiling."""
        return self.gefinancierd_door == MUNICIPAL


@dataclass(frozen=True)
class Phase:
    """One year of a phased plan: its budget and the maximum change versus the year before."""

    jaar: int
    budget: float
    max_wijziging: float


@dataclass(frozen=True)
class Scenario:
    """A validated scenario; see the README section "Scenario file" for every key.

    Use :meth:`replace` for what-if variants; it validates again.
    """

    naam: str
    budget: float
    disciplines: tuple[Discipline, ...]
    uren_per_fte: float = 36.0
    basis_aandeel: float = 0.3
    complexiteit: float = 1.0
    max_wijziging: float | None = 0.5
    min_personen: int | None = 8
    max_personen: int | None = 14
    blok_uren: float = 4.0
    max_gap: float = 0.01
    max_seconden: float = 10.0
    financiers: Mapping[str, float] = field(default_factory=dict)
    huidig_per_team: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    vastgezet: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    fasen: tuple[Phase, ...] = ()

    def __post_init__(self) -> None:
        _check(self)

    @property
    def keys(self) -> list[str]:
        """Discipline keys in file order."""
        return [d.key for d in self.disciplines]

    @property
    def themes(self) -> list[str]:
        """Need themes any discipline draws on, sorted."""
        return sorted({t for d in self.disciplines for t in d.behoefte})

    def discipline(self, key: str) -> Discipline:
        """Return the discipline with ``key``.

        Raises
        ------
        ValidationError
            If there is no such discipline.
        """
        for d in self.disciplines:
            if d.key == key:
                return d
        raise ValidationError(f"onbekende discipline {key!r}; bekend: {', '.join(self.keys)}")

    def replace(self, **changes: Any) -> Scenario:
        """Return a validated copy with ``changes`` (keyword names as the fields)."""
        return dataclasses.replace(self, **changes)

    def with_discipline(self, key: str, **changes: Any) -> Scenario:
        """Return a copy in which discipline ``key`` has ``changes``."""
        self.discipline(key)
        new = tuple(
            dataclasses.replace(d, **changes) if d.key == key else d for d in self.disciplines
        )
        return self.replace(disciplines=new)

    def current(self, team: str, key: str) -> float:
        """Return the current hours of discipline ``key`` in ``team``."""
        per_team = self.huidig_per_team.get(team, {})
        return float(per_team.get(key, self.discipline(key).huidig))


def _number(problems: list[str], where: str, value: Any, *, lo: float, hi: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        problems.append(f"{where}: verwacht een getal, gevonden {value!r}")
        return math.nan
    v = float(value)
    if math.isnan(v) or math.isinf(v):
        problems.append(f"{where}: verwacht een eindig getal, gevonden {value!r}")
    elif not lo <= v <= hi:
        problems.append(f"{where}: verwacht tussen {lo:g} en {hi:g}, gevonden {v:g}")
    return v


def _check(s: Scenario) -> None:
    """Validate a scenario; raise one error listing every problem."""
    p: list[str] = []
    if not isinstance(s.naam, str):
        p.append(f"naam: verwacht tekst, gevonden {s.naam!r}")
    elif not s.naam.strip():
        p.append("naam: mag niet leeg zijn")
    _number(p, "budget", s.budget, lo=0.0, hi=MAX_BUDGET)
    _number(p, "uren_per_fte", s.uren_per_fte, lo=1.0, hi=80.0)
    _number(p, "basis_aandeel", s.basis_aandeel, lo=0.0, hi=1.0)
    _number(p, "complexiteit", s.complexiteit, lo=0.0, hi=3.0)
    if s.max_wijziging is not None:
        _number(p, "max_wijziging", s.max_wijziging, lo=0.0, hi=10.0)
    _number(p, "milp.blok_uren", s.blok_uren, lo=0.5, hi=40.0)
    _number(p, "milp.max_gap", s.max_gap, lo=0.0, hi=1.0)
    _number(p, "milp.max_seconden", s.max_seconden, lo=0.01, hi=3600.0)
    if (
        s.min_personen is not None
        and s.max_personen is not None
        and s.min_personen > s.max_personen
    ):
        p.append(
            f"teamgrootte: min_personen ({s.min_personen}) is groter dan "
            f"max_personen ({s.max_personen})"
        )
    for key in ("min_personen", "max_personen"):
        v = getattr(s, key)
        if v is not None and (isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= 200):
            p.append(f"teamgrootte.{key}: verwacht een geheel getal 0-200, gevonden {v!r}")
    if not s.disciplines:
        p.append("discipline: het scenario noemt geen enkele discipline")
    seen: set[str] = set()
    for d in s.disciplines:
        w = f"discipline.{d.key}"
        bad_types = _discipline_types(d, w)
        if bad_types:
            p.extend(bad_types)
            seen.add(d.key)
            continue
        if d.key in seen:
            p.append(f"{w}: komt twee keer voor")
        seen.add(d.key)
        _number(p, f"{w}.kosten_per_uur", d.kosten_per_uur, lo=0.0, hi=1_000_000.0)
        lo = _number(p, f"{w}.min_uren", d.min_uren, lo=0.0, hi=MAX_HOURS)
        hi = _number(p, f"{w}.max_uren", d.max_uren, lo=0.0, hi=MAX_HOURS)
        _number(p, f"{w}.huidig", d.huidig, lo=0.0, hi=MAX_HOURS)
        _number(p, f"{w}.gewicht", d.gewicht, lo=0.0, hi=1000.0)
        clo = _number(p, f"{w}.min_contract", d.min_contract, lo=0.0, hi=80.0)
        chi = _number(p, f"{w}.max_contract", d.max_contract, lo=1.0, hi=80.0)
        if lo > hi:
            p.append(f"{w}: min_uren ({lo:g}) is groter dan max_uren ({hi:g})")
        if clo > chi:
            p.append(f"{w}: min_contract ({clo:g}) is groter dan max_contract ({chi:g})")
        if d.verplicht and hi <= 0:
            p.append(f"{w}: verplichte discipline met max_uren 0")
        if not d.behoefte:
            p.append(f"{w}.behoefte: noem minstens één thema, bijv. {{ financieel = 1.0 }}")
        for theme, weight in d.behoefte.items():
            _number(p, f"{w}.behoefte.{theme}", weight, lo=0.0, hi=1000.0)
        if d.behoefte and not any(
            isinstance(v, int | float) and v > 0 for v in d.behoefte.values()
        ):
            p.append(f"{w}.behoefte: minstens één gewicht moet groter dan 0 zijn")
        if d.gefinancierd_door != MUNICIPAL and d.gefinancierd_door not in s.financiers:
            pass  # other funders without a budget: only the hour bounds apply
    for funder, budget in s.financiers.items():
        _number(p, f"financier.{funder}.budget", budget, lo=0.0, hi=MAX_BUDGET)
    for table, label in ((s.huidig_per_team, "huidig"), (s.vastgezet, "vastgezet")):
        for team, values in table.items():
            if not isinstance(values, Mapping):
                p.append(
                    f"{label}.{team}: verwacht een tabel discipline = uren, gevonden {values!r}"
                )
                continue
            for key, v in values.items():
                if key not in seen:
                    p.append(f"{label}.{team}.{key}: onbekende discipline {key!r}")
                _number(p, f"{label}.{team}.{key}", v, lo=0.0, hi=MAX_HOURS)
    _check_pins(s, p)
    years = [ph.jaar for ph in s.fasen]
    if len(set(years)) != len(years):
        p.append(f"fase: jaren komen dubbel voor ({years})")
    for ph in s.fasen:
        if isinstance(ph.jaar, bool) or not isinstance(ph.jaar, int) or not 1900 <= ph.jaar <= 2200:
            p.append(f"fase.jaar: verwacht een jaartal, gevonden {ph.jaar!r}")
            continue
        _number(p, f"fase {ph.jaar}.budget", ph.budget, lo=0.0, hi=MAX_BUDGET)
        _number(p, f"fase {ph.jaar}.max_wijziging", ph.max_wijziging, lo=0.0, hi=10.0)
    if p:
        raise ValidationError("; ".join(p))


def _check_pins(s: Scenario, p: list[str]) -> None:
    """Pins (``vastgezet``) must keep the rules: the hour bounds, mandatory presence, fixed staff.

    A pin replaces a cell's bounds in the model, so a pin that breaks a rule would override it
    silently; each such pin is a problem naming the pin, the rule and both values.
    """
    known = {d.key: d for d in s.disciplines}
    for team, values in s.vastgezet.items():
        for key, v in values.items():
            d = known.get(key)
            if d is None or any(
                isinstance(x, bool) or not isinstance(x, int | float)
                for x in (v, d.min_uren, d.max_uren, s.blok_uren)
            ):
                continue  # reported by the general checks
            where = f"vastgezet.{team}.{key}"
            if d.min_uren == d.max_uren:
                if v != d.min_uren:
                    p.append(
                        f"{where}: {d.naam} staat vast op {d.min_uren:g} uur per team "
                        f"(min_uren = max_uren), vastgezet op {v:g}"
                    )
                continue
            if v < d.min_uren:
                p.append(f"{where}: {v:g} uur ligt onder min_uren ({d.min_uren:g})")
            if v > d.max_uren:
                p.append(f"{where}: {v:g} uur ligt boven max_uren ({d.max_uren:g})")
            if d.verplicht and v < s.blok_uren:
                p.append(
                    f"{where}: {d.naam} is verplicht in elk team (minstens één blok van "
                    f"{s.blok_uren:g} uur), vastgezet op {v:g}"
                )


def _discipline_types(d: Discipline, where: str) -> list[str]:
    """Type problems of one discipline (text is text, booleans are booleans, tables are tables)."""
    p = []
    for key in ("naam", "organisatie", "gefinancierd_door"):
        value = getattr(d, key)
        if not isinstance(value, str):
            p.append(f"{where}.{key}: verwacht tekst, gevonden {value!r}")
        elif len(value) > MAX_NAME:
            p.append(f"{where}.{key}: tekst langer dan {MAX_NAME} tekens")
    if not isinstance(d.verplicht, bool):
        p.append(f"{where}.verplicht: verwacht true of false, gevonden {d.verplicht!r}")
    if not isinstance(d.behoefte, Mapping):
        p.append(f"{where}.behoefte: verwacht een tabel thema = gewicht, gevonden {d.behoefte!r}")
    return p


def _depth(value: Any, limit: int) -> int:
    """Nesting depth of tables and arrays, stopping once past ``limit``."""
    if limit < 0:
        return 1
    if isinstance(value, dict):
        return 1 + max((_depth(v, limit - 1) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(v, limit - 1) for v in value), default=0)
    return 0


def _expect_table(p: list[str], where: str, value: Any, *, of: str = "") -> bool:
    if isinstance(value, dict):
        return True
    what = f"een tabel {of}".rstrip()
    p.append(f"{where}: verwacht {what}, gevonden {value!r}"[:300])
    return False


def validate_raw(raw: Mapping[str, Any]) -> list[str]:
    """Check the structure and types of a parsed scenario document, before it is built.

    Tables must be tables (``fase`` an array of tables), text must be text, booleans must
    be booleans (``verplicht = "nee"`` is refused, not read as true), numbers must be
    numbers; every problem names the key and the value found. Ranges are checked afterwards
    by the :class:`Scenario` itself.

    Parameters
    ----------
    raw
        The parsed TOML document.

    Returns
    -------
    list of str
        The problems (empty when the structure is sound).

    Examples
    --------
    >>> for line in validate_raw({"naam": 5, "discipline": {"wmo": {"verplicht": "nee"}}}):
    ...     print(line)
    naam: verwacht tekst, gevonden 5
    discipline.wmo.verplicht: verwacht true of false, gevonden 'nee'
    """
    p: list[str] = []
    if "naam" in raw and not isinstance(raw["naam"], str):
        p.append(f"naam: verwacht tekst, gevonden {raw['naam']!r}")
    for key in ("teamgrootte", "milp", "financier", "discipline", "huidig", "vastgezet"):
        if key in raw:
            _expect_table(p, key, raw[key])
    for key, allowed in (
        ("teamgrootte", {"min_personen", "max_personen"}),
        ("milp", {"blok_uren", "max_gap", "max_seconden"}),
    ):
        section = raw.get(key)
        if isinstance(section, dict) and set(section) - allowed:
            extra = ", ".join(sorted(set(section) - allowed))
            p.append(f"{key}: onbekende sleutel(s) {extra} (bekend: {', '.join(sorted(allowed))})")
    discs = raw.get("discipline")
    if isinstance(discs, dict):
        if len(discs) > MAX_DISCIPLINES:
            p.append(f"discipline: meer dan {MAX_DISCIPLINES} disciplines ({len(discs)})")
        for key, values in discs.items():
            w = f"discipline.{key}"
            if not _expect_table(p, w, values):
                continue
            for name in ("naam", "organisatie", "gefinancierd_door"):
                if name in values and not isinstance(values[name], str):
                    p.append(f"{w}.{name}: verwacht tekst, gevonden {values[name]!r}")
            if "verplicht" in values and not isinstance(values["verplicht"], bool):
                p.append(f"{w}.verplicht: verwacht true of false, gevonden {values['verplicht']!r}")
            if "behoefte" in values and _expect_table(
                p, f"{w}.behoefte", values["behoefte"], of="thema = gewicht"
            ):
                for theme, weight in values["behoefte"].items():
                    if isinstance(weight, bool) or not isinstance(weight, int | float):
                        p.append(f"{w}.behoefte.{theme}: verwacht een getal, gevonden {weight!r}")
    funders = raw.get("financier")
    if isinstance(funders, dict):
        for funder, values in funders.items():
            _expect_table(p, f"financier.{funder}", values, of="met budget")
    for label in ("huidig", "vastgezet"):
        section = raw.get(label)
        if not isinstance(section, dict):
            continue
        if len(section) > MAX_TEAMS:
            p.append(f"{label}: meer dan {MAX_TEAMS} teams ({len(section)})")
        for team, values in section.items():
            if len(str(team)) > MAX_NAME:
                p.append(f"{label}: teamnaam langer dan {MAX_NAME} tekens")
            _expect_table(p, f"{label}.{team}", values, of="discipline = uren")
    if "fase" in raw:
        phases = raw["fase"]
        if not isinstance(phases, list):
            p.append(f"fase: verwacht een lijst van [[fase]]-tabellen, gevonden {phases!r}"[:300])
        elif len(phases) > MAX_PHASES:
            p.append(f"fase: meer dan {MAX_PHASES} fasen ({len(phases)})")
        else:
            for i, ph in enumerate(phases):
                if _expect_table(p, f"fase {i + 1}", ph) and "jaar" in ph:
                    jaar = ph["jaar"]
                    if isinstance(jaar, bool) or not isinstance(jaar, int):
                        p.append(f"fase {i + 1}.jaar: verwacht een jaartal, gevonden {jaar!r}")
    return p


def match_funders(raw: dict[str, Any]) -> list[str]:
    """Normalise funder names in place; return the problems.

    ``gefinancierd_door`` must name ``gemeente`` (the budget ceiling) or a ``[financier.X]``
    exactly. A name that differs only in case or spaces (``"Gemeente"``) is matched with a
    warning — it would otherwise silently move the discipline outside the budget ceiling; a
    name that closely resembles a known one without matching it is refused. Any other name
    is a funder of its own without a budget (only the hour bounds apply, like the CJG).

    Parameters
    ----------
    raw
        The parsed TOML document (changed in place).

    Returns
    -------
    list of str
        The problems.
    """
    p: list[str] = []
    discs = raw.get("discipline")
    funders = raw.get("financier")
    known = [MUNICIPAL, *(funders if isinstance(funders, dict) else {})]
    if not isinstance(discs, dict):
        return p
    for key, values in discs.items():
        if not isinstance(values, dict) or not isinstance(values.get("gefinancierd_door"), str):
            continue
        name = values["gefinancierd_door"]
        if name in known:
            continue
        folded = {k.casefold(): k for k in known}
        match = folded.get(name.strip().casefold())
        where = f"discipline.{key}.gefinancierd_door"
        if match is not None:
            warnings.warn(
                f"{where}: {name!r} gelezen als {match!r}"
                + (" (het gemeentelijke budgetplafond)" if match == MUNICIPAL else ""),
                stacklevel=3,
            )
            values["gefinancierd_door"] = match
            continue
        close = difflib.get_close_matches(name.casefold(), list(folded), n=1, cutoff=0.75)
        if close:
            p.append(
                f"{where}: onbekende financier {name!r}; bedoelt u {folded[close[0]]!r}? "
                f"(bekend: {', '.join(known)})"
            )
    return p


_TOP = {
    "naam",
    "budget",
    "uren_per_fte",
    "basis_aandeel",
    "complexiteit",
    "max_wijziging",
    "teamgrootte",
    "milp",
    "financier",
    "discipline",
    "huidig",
    "vastgezet",
    "fase",
}
_DISC = {f.name for f in dataclasses.fields(Discipline)} - {"key"}


def _table(value: Any, where: str, problems: list[str]) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append(f"{where}: verwacht een tabel, gevonden {value!r}")
        return {}
    return value


def parse_scenario(text: str, *, source: str = "scenario") -> Scenario:
    """Parse and validate scenario TOML.

    Parameters
    ----------
    text
        TOML text.
    source
        File name for messages.

    Returns
    -------
    Scenario
        The validated scenario.

    Raises
    ------
    ValidationError
        Malformed TOML, unknown keys, wrong types or values; the message starts with
        ``source``.

    Examples
    --------
    >>> s = load_scenario()
    >>> parse_scenario(scenario_to_toml(s)) == s
    True
    """
    if len(text) > MAX_SCENARIO_BYTES:
        raise ValidationError(f"{source}: scenariobestand groter dan 1 MB")
    if not text.strip():
        raise ValidationError(f"{source}: leeg scenariobestand")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError(f"{source}: geen geldige TOML ({exc})") from None
    except RecursionError:
        raise ValidationError(
            f"{source}: tabellen of lijsten te diep genest (een scenario heeft er hoogstens "
            f"{MAX_DEPTH} nodig)"
        ) from None
    if _depth(raw, MAX_DEPTH) > MAX_DEPTH:
        raise ValidationError(
            f"{source}: tabellen of lijsten te diep genest (een scenario heeft er hoogstens "
            f"{MAX_DEPTH} nodig)"
        )
    p: list[str] = validate_raw(raw)
    p += match_funders(raw)
    if p:
        raise ValidationError(f"{source}: " + "; ".join(p))
    for key in raw:
        if key not in _TOP:
            p.append(f"onbekende sleutel {key!r} (bekend: {', '.join(sorted(_TOP))})")
    size = _table(raw.get("teamgrootte"), "teamgrootte", p)
    milp = _table(raw.get("milp"), "milp", p)
    disciplines: list[Discipline] = []
    for key, values in _table(raw.get("discipline"), "discipline", p).items():
        if not isinstance(values, dict):
            p.append(f"discipline.{key}: verwacht een tabel")
            continue
        unknown = set(values) - _DISC
        if unknown:
            p.append(f"discipline.{key}: onbekende sleutel(s) {', '.join(sorted(unknown))}")
        missing = {"kosten_per_uur", "huidig", "min_uren", "max_uren", "behoefte"} - set(values)
        if missing:
            p.append(f"discipline.{key}: ontbrekende sleutel(s) {', '.join(sorted(missing))}")
        if unknown or missing:
            continue
        kwargs = {k: v for k, v in values.items() if k in _DISC}
        kwargs.setdefault("naam", key)
        if not isinstance(kwargs["behoefte"], dict):
            p.append(f"discipline.{key}.behoefte: verwacht een tabel thema = gewicht")
            continue
        disciplines.append(Discipline(key=key, **kwargs))
    financiers = {}
    for funder, values in _table(raw.get("financier"), "financier", p).items():
        values = _table(values, f"financier.{funder}", p)
        if "budget" not in values:
            p.append(f"financier.{funder}: ontbrekende sleutel budget")
        else:
            financiers[funder] = values["budget"]
    phases = []
    for i, ph in enumerate(raw.get("fase", []) if isinstance(raw.get("fase"), list) else []):
        if not isinstance(ph, dict) or {"jaar", "budget"} - set(ph):
            p.append(f"fase {i + 1}: verwacht jaar en budget")
            continue
        phases.append(
            Phase(
                jaar=ph["jaar"],
                budget=ph["budget"],
                max_wijziging=ph.get("max_wijziging", raw.get("max_wijziging", 0.5)),
            )
        )
    if p:
        raise ValidationError(f"{source}: " + "; ".join(p))
    try:
        return Scenario(
            naam=raw.get("naam", Path(source).stem),
            budget=raw.get("budget", math.nan),
            disciplines=tuple(disciplines),
            uren_per_fte=raw.get("uren_per_fte", 36.0),
            basis_aandeel=raw.get("basis_aandeel", 0.3),
            complexiteit=raw.get("complexiteit", 1.0),
            max_wijziging=raw.get("max_wijziging", 0.5),
            min_personen=size.get("min_personen"),
            max_personen=size.get("max_personen"),
            blok_uren=milp.get("blok_uren", 4.0),
            max_gap=milp.get("max_gap", 0.01),
            max_seconden=milp.get("max_seconden", 10.0),
            financiers=financiers,
            huidig_per_team=_table(raw.get("huidig"), "huidig", p),
            vastgezet=_table(raw.get("vastgezet"), "vastgezet", p),
            fasen=tuple(phases),
        )
    except ValidationError as exc:
        raise ValidationError(f"{source}: {exc}") from None
    except (TypeError, AttributeError) as exc:
        raise ValidationError(f"{source}: onverwachte waarde ({exc})") from None


def load_scenario(path: str | Path | None = None) -> Scenario:
    """Read a scenario file; without ``path`` the embedded Haarlem default.

    Parameters
    ----------
    path
        TOML file.

    Returns
    -------
    Scenario
        The validated scenario.

    Raises
    ------
    ValidationError
        Unreadable file or invalid content; the message names the file.
    """
    file = Path(path) if path is not None else DEFAULT_SCENARIO
    try:
        data = file.read_bytes()
    except OSError as exc:
        reason = {
            FileNotFoundError: "bestand bestaat niet",
            IsADirectoryError: "is een map, geen bestand",
            PermissionError: "geen leesrechten",
        }.get(type(exc), exc.strerror)
        raise ValidationError(f"{file}: kan scenario niet lezen ({reason})") from None
    if len(data) > MAX_SCENARIO_BYTES:
        raise ValidationError(f"{file}: scenariobestand groter dan 1 MB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(f"{file}: scenario is geen UTF-8-tekst") from None
    return parse_scenario(text, source=str(file))


def scenario_to_toml(s: Scenario) -> str:
    """Render a scenario as TOML that :func:`parse_scenario` reads back to an equal scenario.

    Parameters
    ----------
    s
        The scenario.

    Returns
    -------
    str
        TOML text.
    """
    doc: dict[str, Any] = {
        "naam": s.naam,
        "budget": s.budget,
        "uren_per_fte": s.uren_per_fte,
        "basis_aandeel": s.basis_aandeel,
        "complexiteit": s.complexiteit,
    }
    if s.max_wijziging is not None:
        doc["max_wijziging"] = s.max_wijziging
    size = {k: getattr(s, k) for k in ("min_personen", "max_personen") if getattr(s, k) is not None}
    if size:
        doc["teamgrootte"] = size
    doc["milp"] = {"blok_uren": s.blok_uren, "max_gap": s.max_gap, "max_seconden": s.max_seconden}
    if s.financiers:
        doc["financier"] = {k: {"budget": v} for k, v in s.financiers.items()}
    doc["discipline"] = {}
    for d in s.disciplines:
        values = dataclasses.asdict(d)
        values.pop("key")
        values["behoefte"] = dict(d.behoefte)
        doc["discipline"][d.key] = values
    if s.huidig_per_team:
        doc["huidig"] = {t: dict(v) for t, v in s.huidig_per_team.items()}
    if s.vastgezet:
        doc["vastgezet"] = {t: dict(v) for t, v in s.vastgezet.items()}
    if s.fasen:
        doc["fase"] = [dataclasses.asdict(ph) for ph in s.fasen]
    return tomli_w.dumps(doc)
