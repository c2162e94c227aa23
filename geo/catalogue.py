"""The indicator catalogue: one canonical name per indicator, mapped from every CBS/RIVM schema.

CBS renamed the Wijk- en buurtkaart attributes between editions (``AANT_INW`` in 2015,
``aantal_inwoners`` around 2021, ``aantalInwoners`` in 2024) and the StatLine/OData tables
use yet another form (``AantalInwoners_5``). Every loader maps its columns onto the
canonical keys below, so the rest of the code only knows one name per indicator.

Each indicator is stored in the canonical buurt table as:

* ``kind="count"``: an absolute number (inwoners, huishoudens, …), summed on aggregation;
* ``kind="rate"``: a percentage of its ``base`` population (``inwoners``, ``huishoudens``,
  ``volwassenen`` or ``inwoners_65plus``), aggregated with the base as weight;
* ``kind="mean"``: an average value (WOZ, income), aggregated weighted by ``base``.

A source column can be taken as it is (``as_is``), divided by the base count
(``per_base``, for StatLine counts such as ``k_65JaarOfOuder_12``), or turned into its
complement ``100 - x`` (``complement``, e.g. koopwoningen → huurwoningen) so that a higher
value always means more need where ``need_direction`` is +1.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

__all__ = [
    "CATALOGUE",
    "SCHEMAS",
    "Indicator",
    "Source",
    "catalogue_frame",
    "column_key",
    "indicator",
    "match_columns",
    "normalise_title",
]

Schema = Literal["statline", "statline_titel", "kwb2024", "kwb2021", "kwb2015", "rivm18", "rivm65"]
SCHEMAS: tuple[str, ...] = (
    "statline",
    "statline_titel",
    "kwb2024",
    "kwb2021",
    "kwb2015",
    "rivm18",
    "rivm65",
)
Transform = Literal["as_is", "per_base", "complement"]


@dataclass(frozen=True)
class Source:
    """Where an indicator comes from in one schema."""

    schema: Schema
    column: str
    transform: Transform = "as_is"


@dataclass(frozen=True)
class Indicator:
    """One canonical indicator.

    Attributes
    ----------
    key
        Canonical snake_case name (column in the buurt table).
    label
        Dutch label for users.
    unit
        Dutch unit text.
    kind
        ``count``, ``rate`` or ``mean``.
    base
        The population a rate refers to (and the weight for aggregation), or ``None``.
    sources
        The columns per schema this indicator is read from.
    need_direction
        +1 when a higher value means more need, -1 when less, 0 when neutral.
    description
        One Dutch sentence on what it measures and where it comes from.
    """

    key: str
    label: str
    unit: str
    kind: Literal["count", "rate", "mean"]
    base: str | None
    sources: tuple[Source, ...] = field(default_factory=tuple)
    need_direction: int = 1
    description: str = ""

    def source_for(self, schema: str) -> Source | None:
        """Return the (first) source of this indicator in ``schema``, or ``None``."""
        for src in self.sources:
            if src.schema == schema:
                return src
        return None

    def sources_for(self, schema: str) -> tuple[Source, ...]:
        """Return every source of this indicator in ``schema`` (editions differ)."""
        return tuple(src for src in self.sources if src.schema == schema)


def _s(schema: Schema, column: str, transform: Transform = "as_is") -> Source:
    return Source(schema=schema, column=column, transform=transform)


def _t(title: str, transform: Transform = "as_is") -> Source:
    """Return a StatLine website title source (``Onderwerp/…/Naam (eenheid)``)."""
    return Source(schema="statline_titel", column=title, transform=transform)


CATALOGUE: tuple[Indicator, ...] = (
    Indicator(
        "inwoners",
        "Aantal inwoners",
        "aantal",
        "count",
        None,
        (
            _s("statline", "AantalInwoners"),
            _t("Bevolking/Aantal inwoners (aantal)"),
            _s("kwb2024", "aantalInwoners"),
            _s("kwb2021", "aantal_inwoners"),
            _s("kwb2015", "AANT_INW"),
        ),
        0,
        "Inwoners op 1 januari (CBS Kerncijfers wijken en buurten).",
    ),
    Indicator(
        "huishoudens",
        "Aantal huishoudens",
        "aantal",
        "count",
        None,
        (
            _s("statline", "HuishoudensTotaal"),
            _t("Bevolking/Particuliere huishoudens/Huishoudens totaal (aantal)"),
            _t("Particuliere huishoudens (Aantal)"),
            _s("kwb2024", "aantalHuishoudens"),
            _s("kwb2021", "aantal_huishoudens"),
            _s("kwb2015", "AANTAL_HH"),
        ),
        0,
        "Particuliere huishoudens (CBS).",
    ),
    Indicator(
        "pct_0_15",
        "Kinderen 0-15 jaar",
        "% van inwoners",
        "rate",
        "inwoners",
        (
            _s("statline", "k_0Tot15Jaar", "per_base"),
            _t("Bevolking/Leeftijdsgroepen/0 tot 15 jaar (aantal)", "per_base"),
            _s("kwb2024", "percentagePersonen0Tot15Jaar"),
            _s("kwb2021", "percentage_personen_0_tot_15_jaar"),
            _s("kwb2015", "P_00_14_JR"),
        ),
        1,
        "Aandeel inwoners jonger dan 15 jaar (CBS).",
    ),
    Indicator(
        "pct_65plus",
        "65-plussers",
        "% van inwoners",
        "rate",
        "inwoners",
        (
            _s("statline", "k_65JaarOfOuder", "per_base"),
            _t("Bevolking/Leeftijdsgroepen/65 jaar of ouder (aantal)", "per_base"),
            _s("kwb2024", "percentagePersonen65JaarEnOuder"),
            _s("kwb2021", "percentage_personen_65_jaar_en_ouder"),
            _s("kwb2015", "P_65_EO_JR"),
        ),
        1,
        "Aandeel inwoners van 65 jaar en ouder (CBS).",
    ),
    Indicator(
        "pct_eenpersoons_hh",
        "Eenpersoonshuishoudens",
        "% van huishoudens",
        "rate",
        "huishoudens",
        (
            _s("statline", "Eenpersoonshuishoudens", "per_base"),
            _t("Bevolking/Particuliere huishoudens/Eenpersoonshuishoudens (aantal)", "per_base"),
            _s("kwb2024", "percentageEenpersoonshuishoudens"),
            _s("kwb2021", "percentage_eenpersoonshuishoudens"),
            _s("kwb2015", "P_EENP_HH"),
        ),
        1,
        "Aandeel eenpersoonshuishoudens (CBS).",
    ),
    Indicator(
        "pct_hh_met_kinderen",
        "Huishoudens met kinderen",
        "% van huishoudens",
        "rate",
        "huishoudens",
        (
            _s("statline", "HuishoudensMetKinderen", "per_base"),
            _t("Bevolking/Particuliere huishoudens/Huishoudens met kinderen (aantal)", "per_base"),
            _s("kwb2024", "percentageHuishoudensMetKinderen"),
            _s("kwb2021", "percentage_huishoudens_met_kinderen"),
            _s("kwb2015", "P_HH_M_K"),
        ),
        1,
        "Aandeel huishoudens met thuiswonende kinderen (CBS).",
    ),
    Indicator(
        "pct_huurwoningen",
        "Huurwoningen",
        "% van woningen",
        "rate",
        "huishoudens",
        (
            _s("statline", "Koopwoningen", "complement"),
            _t("Wonen/Woningen naar eigendom/Koopwoningen (%)", "complement"),
            _s("kwb2024", "percentageKoopwoningen", "complement"),
            _s("kwb2021", "percentage_koopwoningen", "complement"),
            _s("kwb2015", "P_KOOPWON", "complement"),
        ),
        1,
        "Aandeel huurwoningen: 100 min het aandeel koopwoningen (CBS).",
    ),
    Indicator(
        "woz",
        "Gemiddelde WOZ-waarde",
        "x €1.000",
        "mean",
        "huishoudens",
        (
            _s("statline", "GemiddeldeWOZWaardeVanWoningen"),
            _s("statline", "GemiddeldeWoningwaarde"),
            _t("Wonen/Gemiddelde WOZ-waarde van woningen (x 1 000 euro)"),
            _s("kwb2024", "gemiddeldeWoningwaarde"),
            _s("kwb2021", "gemiddelde_woningwaarde"),
            _s("kwb2015", "WOZ"),
        ),
        -1,
        "Gemiddelde WOZ-waarde van woningen (CBS).",
    ),
    Indicator(
        "inkomen_per_inwoner",
        "Gemiddeld inkomen per inwoner",
        "x €1.000",
        "mean",
        "inwoners",
        (
            _s("statline", "GemiddeldInkomenPerInwoner"),
            _t("Inkomen/Inkomen van personen/Gemiddeld inkomen per inwoner (x 1 000 euro)"),
            _s("kwb2024", "gemiddeldInkomenPerInwoner"),
            _s("kwb2021", "gemiddeld_inkomen_per_inwoner"),
            _s("kwb2015", "INK_INW"),
        ),
        -1,
        "Gemiddeld persoonlijk inkomen per inwoner (CBS).",
    ),
    Indicator(
        "pct_sociaal_minimum",
        "Huishoudens rond sociaal minimum",
        "% van huishoudens",
        "rate",
        "huishoudens",
        (
            _s("statline", "HuishOnderOfRondSociaalMinimum"),
            _t("Inkomen/Inkomen van huishoudens/Huish. onder of rond sociaal minimum (%)"),
            _s("kwb2024", "percentageHuishoudensOnderOfRondSociaalMinimum"),
            _s("kwb2021", "percentage_huishoudens_onder_of_rond_sociaal_minimum"),
            _s("kwb2015", "P_SOCMINH"),
        ),
        1,
        "Aandeel huishoudens met een inkomen onder of rond het sociaal minimum (CBS).",
    ),
    Indicator(
        "pct_bijstand",
        "Bijstandsuitkeringen",
        "% van inwoners",
        "rate",
        "inwoners",
        (
            _s("statline", "PersonenPerSoortUitkeringBijstand", "per_base"),
            _t("Sociale zekerheid/Personen per soort uitkering/Bijstand (aantal)", "per_base"),
            _s("kwb2024", "aantalPersonenMetEenAlgBijstandsuitkeringTot", "per_base"),
            _s("kwb2021", "aantal_personen_met_een_algemene_bijstandsuitkering_totaal", "per_base"),
            _s("kwb2015", "WWB_UITTOT", "per_base"),
        ),
        1,
        "Personen met een algemene bijstandsuitkering per 100 inwoners (CBS).",
    ),
    Indicator(
        "pct_ao_uitkering",
        "Arbeidsongeschiktheidsuitkeringen",
        "% van inwoners",
        "rate",
        "inwoners",
        (
            _s("statline", "PersonenPerSoortUitkeringAO", "per_base"),
            _t("Sociale zekerheid/Personen per soort uitkering/AO (aantal)", "per_base"),
            _s("kwb2024", "aantalPersonenMetEenAoUitkeringTotaal", "per_base"),
            _s("kwb2021", "aantal_personen_met_een_ao_uitkering_totaal", "per_base"),
            _s("kwb2015", "AO_UIT_TOT", "per_base"),
        ),
        1,
        "Personen met een arbeidsongeschiktheidsuitkering per 100 inwoners (CBS).",
    ),
    Indicator(
        "pct_ww_uitkering",
        "WW-uitkeringen",
        "% van inwoners",
        "rate",
        "inwoners",
        (
            _s("statline", "PersonenPerSoortUitkeringWW", "per_base"),
            _t("Sociale zekerheid/Personen per soort uitkering/WW (aantal)", "per_base"),
            _s("kwb2024", "aantalPersonenMetEenWwUitkeringTotaal", "per_base"),
            _s("kwb2021", "aantal_personen_met_een_ww_uitkering_totaal", "per_base"),
            _s("kwb2015", "WW_UIT_TOT", "per_base"),
        ),
        1,
        "Personen met een WW-uitkering per 100 inwoners (CBS).",
    ),
    Indicator(
        "pct_laag_inkomen",
        "Huishoudens met een laag inkomen",
        "% van huishoudens",
        "rate",
        "huishoudens",
        (
            _s("statline", "HuishoudensMetEenLaagInkomen"),
            _t("Inkomen/Inkomen van huishoudens/Huishoudens met een laag inkomen (%)"),
            _s("kwb2024", "percentageHuishoudensMetLaagInkomen"),
            _s("kwb2021", "percentage_huishoudens_met_laag_inkomen"),
        ),
        1,
        "Aandeel particuliere huishoudens met een laag inkomen (CBS-grens), van de "
        "huishoudens met een bekend inkomen (CBS).",
    ),
    Indicator(
        "pct_wmo",
        "Wmo-cliënten",
        "per 100 inwoners",
        "rate",
        "inwoners",
        (
            _s("statline", "WmoClienten", "per_base"),
            _t("Zorg/Wmo-cliënten (aantal)", "per_base"),
            _s("kwb2024", "aantalWmoClienten", "per_base"),
            _s("kwb2021", "aantal_wmo_clienten", "per_base"),
        ),
        1,
        "Personen met een of meer Wmo-voorzieningen (maatwerk) per 100 inwoners: het aantal "
        "Wmo-cliënten gedeeld door het aantal inwoners (CBS).",
    ),
    Indicator(
        "pct_jeugdzorg",
        "Jongeren met jeugdzorg",
        "per 100 inwoners",
        "rate",
        "inwoners",
        (
            _s("statline", "JongerenMetJeugdzorgInNatura", "per_base"),
            _t("Zorg/Jongeren met jeugdzorg in natura (aantal)", "per_base"),
            _s("kwb2024", "aantalJongerenMetJeugdzorgInNatura", "per_base"),
            _s("kwb2021", "aantal_jongeren_met_jeugdzorg_in_natura", "per_base"),
        ),
        1,
        "Jongeren (tot 23 jaar) met jeugdzorg in natura per 100 inwoners van alle leeftijden: "
        "het aantal gedeeld door het aantal inwoners (CBS).",
    ),
    Indicator(
        "pct_opleiding_laag",
        "Laag opleidingsniveau",
        "% van inwoners 15-75 jaar",
        "rate",
        "volwassenen",
        (_t("Opleidingsniveau/Laag/Waarde (%)"),),
        1,
        "Aandeel inwoners van 15 tot 75 jaar met een laag opleidingsniveau (CBS, SES-WOA).",
    ),
    Indicator(
        "pct_herkomst_buiten_europa",
        "Herkomst buiten Europa / niet-westers",
        "% van inwoners",
        "rate",
        "inwoners",
        (
            _s("statline", "NietWestersTotaal", "per_base"),
            _t(
                "Bevolking/Personen met een migratieachtergrond/Niet-westers/"
                "Niet-westers totaal (aantal)",
                "per_base",
            ),
            _s("kwb2024", "percentageMetHerkomstlandBuitenEuropa"),
            _s("kwb2021", "percentage_niet_westerse_migratieachtergrond"),
            _s("kwb2015", "P_N_W_AL"),
        ),
        1,
        "Aandeel inwoners met een herkomstland buiten Europa (tot 2022: niet-westerse "
        "migratieachtergrond) (CBS).",
    ),
    Indicator(
        "moeite_rondkomen",
        "Moeite met rondkomen",
        "% van volwassenen",
        "rate",
        "volwassenen",
        (_s("rivm18", "MoeiteMetRondkomen_38"),),
        1,
        "Volwassenen die moeite hebben met rondkomen (RIVM Gezondheidsmonitor, schatting).",
    ),
    Indicator(
        "eenzaam",
        "Eenzaam",
        "% van volwassenen",
        "rate",
        "volwassenen",
        (_s("rivm18", "Eenzaam_28"),),
        1,
        "Volwassenen die zich eenzaam voelen (RIVM).",
    ),
    Indicator(
        "ernstig_eenzaam",
        "Ernstig eenzaam",
        "% van volwassenen",
        "rate",
        "volwassenen",
        (_s("rivm18", "ErnstigZeerErnstigEenzaam_29"),),
        1,
        "Volwassenen die zich ernstig of zeer ernstig eenzaam voelen (RIVM).",
    ),
    Indicator(
        "sociaal_eenzaam",
        "Sociaal eenzaam",
        "% van volwassenen",
        "rate",
        "volwassenen",
        (_s("rivm18", "SociaalEenzaam_31"),),
        1,
        "Volwassenen die sociaal eenzaam zijn (RIVM).",
    ),
    Indicator(
        "risico_angst_depressie",
        "Risico op angst of depressie",
        "% van volwassenen",
        "rate",
        "volwassenen",
        (_s("rivm18", "MatigHoogRisicoOpAngstOfDepressie_24"),),
        1,
        "Volwassenen met een matig of hoog risico op angststoornis of depressie (RIVM).",
    ),
    Indicator(
        "hoog_risico_angst_depressie",
        "Hoog risico op angst of depressie",
        "% van volwassenen",
        "rate",
        "volwassenen",
        (_s("rivm18", "HoogRisicoOpAngstOfDepressie_25"),),
        1,
        "Volwassenen met een hoog risico op angststoornis of depressie (RIVM).",
    ),
    Indicator(
        "stress",
        "Veel stress",
        "% van volwassenen",
        "rate",
        "volwassenen",
        (_s("rivm18", "HeelVeelStressInAfgelopen4Weken_26"),),
        1,
        "Volwassenen met heel veel stress in de afgelopen 4 weken (RIVM).",
    ),
    Indicator(
        "weinig_regie",
        "Weinig regie over eigen leven",
        "% van volwassenen",
        "rate",
        "volwassenen",
        (_s("rivm18", "MatigVeelRegieOverEigenLeven_27", "complement"),),
        1,
        "Volwassenen met weinig regie over het eigen leven: 100 min 'matig of veel regie' (RIVM).",
    ),
    Indicator(
        "ernstig_beperkt",
        "Ernstig beperkt door gezondheid",
        "% van volwassenen",
        "rate",
        "volwassenen",
        (_s("rivm18", "ErnstigBeperktVanwegeGezondheid_18"),),
        1,
        "Volwassenen die ernstig beperkt zijn vanwege hun gezondheid (RIVM).",
    ),
    Indicator(
        "langdurig_ziek_beperkt",
        "Langdurig ziek en beperkt",
        "% van volwassenen",
        "rate",
        "volwassenen",
        (_s("rivm18", "LangdurigeZiekteEnBeperkt_19"),),
        1,
        "Volwassenen met een langdurige ziekte en beperkt vanwege gezondheid (RIVM).",
    ),
    Indicator(
        "mantelzorger",
        "Mantelzorgers",
        "% van volwassenen",
        "rate",
        "volwassenen",
        (_s("rivm18", "Mantelzorger_32"),),
        1,
        "Volwassenen die mantelzorg geven (RIVM).",
    ),
    Indicator(
        "geen_vrijwilligerswerk",
        "Geen vrijwilligerswerk",
        "% van volwassenen",
        "rate",
        "volwassenen",
        (_s("rivm18", "Vrijwilligerswerk_33", "complement"),),
        1,
        "Volwassenen die geen vrijwilligerswerk doen: 100 min 'vrijwilligerswerk' (RIVM).",
    ),
    Indicator(
        "gezondheid_matig",
        "Ervaren gezondheid matig of slecht",
        "% van volwassenen",
        "rate",
        "volwassenen",
        (_s("rivm18", "ErvarenGezondheidGoedZeerGoed_4", "complement"),),
        1,
        "Volwassenen die hun gezondheid niet als (zeer) goed ervaren (RIVM).",
    ),
    Indicator(
        "eenzaam_65plus",
        "Eenzame 65-plussers",
        "% van 65-plussers",
        "rate",
        "inwoners_65plus",
        (_s("rivm65", "Eenzaam_28"),),
        1,
        "65-plussers die zich eenzaam voelen (RIVM).",
    ),
    Indicator(
        "ernstig_beperkt_65plus",
        "Ernstig beperkte 65-plussers",
        "% van 65-plussers",
        "rate",
        "inwoners_65plus",
        (_s("rivm65", "ErnstigBeperktVanwegeGezondheid_18"),),
        1,
        "65-plussers die ernstig beperkt zijn vanwege hun gezondheid (RIVM).",
    ),
)

_BY_KEY = {ind.key: ind for ind in CATALOGUE}


def indicator(key: str) -> Indicator:
    """Return the catalogue entry for ``key``.

    Parameters
    ----------
    key
        Canonical indicator key.

    Returns
    -------
    Indicator
        The entry.

    Raises
    ------
    KeyError
        If the key is not in the catalogue.
    """
    return _BY_KEY[key]


_SUFFIX = re.compile(r"_[0-9]+$")


def normalise_title(text: str) -> str:
    """Reduce a StatLine title to lower-case ASCII letters and digits.

    The website download (``Bevolking/Aantal inwoners (aantal)``), its copy re-saved by R
    (``Bevolking.Aantal.inwoners..aantal.``) and the old two-row export
    (``Bevolking|Aantal inwoners`` over ``aantal``) all reduce to the same text.

    Parameters
    ----------
    text
        A column title.

    Returns
    -------
    str
        The normalised title.

    Examples
    --------
    >>> normalise_title("Zorg.Wmo.cliënten..aantal.")
    'zorgwmoclientenaantal'
    >>> normalise_title("Zorg/Wmo-cliënten (aantal)")
    'zorgwmoclientenaantal'
    """
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]", "", plain.lower())


def column_key(name: str, schema: str) -> str:
    """Return the form in which a column name of ``schema`` is compared with the catalogue.

    StatLine/OData columns are compared on their stem (``GemiddeldInkomenPerInwoner_66``
    and ``GemiddeldInkomenPerInwoner_78`` are the same column in two editions), StatLine
    website titles normalised (:func:`normalise_title`), other schemas exactly.

    Parameters
    ----------
    name
        Column name.
    schema
        One of :data:`SCHEMAS`.

    Returns
    -------
    str
        The comparison key.

    Examples
    --------
    >>> column_key("GemiddeldInkomenPerInwoner_66", "statline")
    'GemiddeldInkomenPerInwoner'
    """
    if schema == "statline":
        return _SUFFIX.sub("", name.strip())
    if schema == "statline_titel":
        return normalise_title(name)
    return name


def match_columns(columns: Iterable[str], schema: str) -> dict[str, tuple[str, Source]]:
    """Find the catalogue indicators among the columns of a table of one schema.

    Parameters
    ----------
    columns
        The table's column names.
    schema
        One of :data:`SCHEMAS`.

    Returns
    -------
    dict
        Indicator key → (the table's column, the catalogue source it matched).

    Examples
    --------
    >>> sorted(match_columns(["AantalInwoners_5", "GemiddeldeWoningwaarde_35"], "statline"))
    ['inwoners', 'woz']
    """
    lookup: dict[str, str] = {}
    for col in columns:
        lookup.setdefault(column_key(str(col), schema), str(col))
    found: dict[str, tuple[str, Source]] = {}
    for ind in CATALOGUE:
        for src in ind.sources_for(schema):
            key = column_key(src.column, schema)
            if key in lookup:
                found[ind.key] = (lookup[key], src)
                break
    return found


def catalogue_frame() -> pd.DataFrame:
    """Return the catalogue as a table with Dutch column headers (for docs and the app).

    Returns
    -------
    pandas.DataFrame
        One row per indicator: key, label, unit, kind, base and the source column per schema.
    """
    rows = []
    for ind in CATALOGUE:
        row: dict[str, object] = {
            "indicator": ind.key,
            "omschrijving": ind.label,
            "eenheid": ind.unit,
            "soort": {"count": "aantal", "rate": "percentage", "mean": "gemiddelde"}[ind.kind],
            "basis": ind.base or "",
            "richting": ind.need_direction,
        }
        for schema in SCHEMAS:
            row[f"kolom_{schema}"] = " | ".join(
                src.column + ("" if src.transform == "as_is" else f" ({src.transform})")
                for src in ind.sources_for(schema)
            )
        rows.append(row)
    return pd.DataFrame(rows).set_index("indicator")
