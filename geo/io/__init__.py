"""Readers, one per format: StatLine, RIVM, Wijk- en buurtkaart, vector files, team tables.

Every reader cleans once (codes as strings, CBS sentinels to missing, numbers as a Dutch
user means them, CRS checked) and returns canonical indicator keys of
:mod:`geo.catalogue`. :func:`geo.load_inputs` combines them into a :class:`Dataset`.
"""

from __future__ import annotations

from geo.io._numbers import MAX_ABS_VALUE, clean_numeric, number_style
from geo.io._tables import (
    Dataset,
    IndicatorTable,
    detect_schema,
    filter_gemeente,
    to_canonical,
)
from geo.io._text import MAX_TEXT_BYTES, MAX_UPLOAD_BYTES, read_frame, read_text
from geo.io.division import check_division
from geo.io.haarlem import load_haarlem
from geo.io.rivm import RIVM_AGE, is_rivm, read_rivm_csv
from geo.io.statline import is_statline, read_statline_csv
from geo.io.teams import read_team_table
from geo.io.vector import read_polygons, read_vector
from geo.io.wbk import has_wbk_attributes, list_gemeenten, read_cbs_gpkg

__all__ = [
    "MAX_ABS_VALUE",
    "MAX_TEXT_BYTES",
    "MAX_UPLOAD_BYTES",
    "RIVM_AGE",
    "Dataset",
    "IndicatorTable",
    "check_division",
    "clean_numeric",
    "detect_schema",
    "filter_gemeente",
    "has_wbk_attributes",
    "is_rivm",
    "is_statline",
    "list_gemeenten",
    "load_haarlem",
    "number_style",
    "read_cbs_gpkg",
    "read_frame",
    "read_polygons",
    "read_rivm_csv",
    "read_statline_csv",
    "read_team_table",
    "read_text",
    "read_vector",
    "to_canonical",
]
