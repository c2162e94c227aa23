"""Project error types for the optimiser."""

from __future__ import annotations

__all__ = ["InfeasibleError", "SolverError", "ValidationError"]


class ValidationError(ValueError):
    """Bad scenario or input table: the message names the key, the expected and actual value."""


class InfeasibleError(Exception):
    """No formation satisfies the scenario.

    Parameters
    ----------
    lines
        The explanation in plain Dutch, one finding per line, with the numbers.
    loosen
        Constraint name → how much it must be loosened (in its own unit).
    """

    def __init__(self, lines: list[str], loosen: dict[str, float] | None = None) -> None:
        self.lines = tuple(lines)
        self.loosen = dict(loosen or {})
        super().__init__(" ".join(lines))


class SolverError(InfeasibleError):
    """HiGHS gave no verified optimum, even when re-solved from scratch.

    A subclass of :class:`InfeasibleError` so that every edge that shows an infeasible
    scenario (CLI, app) shows this too, as one line, instead of an unverified formation.
    """
