"""Formation optimiser: discipline hours across the teams (being built; see issue 3)."""

__all__: list[str] = []
