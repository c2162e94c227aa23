"""Fixtures of the optimiser tests: the need per team of the embedded Haarlem data."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.conftest import _haarlem_profiles


@pytest.fixture
def haarlem_need() -> pd.DataFrame:
    """Theme need per team for Haarlem (with the theme indices)."""
    return _haarlem_profiles().team_need()
