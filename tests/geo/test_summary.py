"""Detail tables of one team or buurt (geo.summary)."""

from __future__ import annotations

import pandas as pd
import pytest

import geo
from tests.conftest import _haarlem_profiles


def test_team_table_counts_filled_buurten() -> None:
    p = _haarlem_profiles()
    info = p.indicators.info
    team = "Meerwijk"
    codes = info.index[info["team"] == team]
    table = geo.area_indicators(p.indicators, team=team).set_index("indicator")
    # Eenpersoonshuishoudens are published per wijk only: every buurt filled from the wijk
    row = table.loc["Eenpersoonshuishoudens"]
    assert row["herkomst"] == f"{len(codes)} aangevuld uit de wijk"
    avg = geo.municipal_average(p.indicators)
    assert row["gemeente"] == pytest.approx(avg["pct_eenpersoons_hh"])
    assert row["verschil"] == pytest.approx(row["waarde"] - row["gemeente"])


def test_buurt_table_names_the_provenance() -> None:
    p = _haarlem_profiles()
    code = p.indicators.info.index[0]
    table = geo.area_indicators(p.indicators, buurt=code)
    assert set(table["herkomst"]) <= set(geo.PROVENANCE.values())
    with pytest.raises(ValueError, match="exactly one"):
        geo.area_indicators(p.indicators)


def test_provenance_counts_by_hand() -> None:
    src = pd.DataFrame(
        {"woz": ["buurt", "wijk", ""], "inkomen_per_inwoner": ["buurt"] * 3},
        index=["B1", "B2", "B3"],
    )
    frame = geo.IndicatorFrame(None, src.replace({"buurt": 1.0}), src, None)  # type: ignore[arg-type]
    counts = geo.provenance_counts(frame, pd.Index(["B1", "B2", "B3"]))
    assert counts["woz"] == "1 aangevuld uit de wijk, 1 ontbreekt"
    assert counts["inkomen_per_inwoner"] == ""
