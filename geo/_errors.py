"""Project error types for the data layer."""

from __future__ import annotations

__all__ = ["ValidationError"]


class ValidationError(ValueError):
    """Bad user input: the message names the file, column or value and what was expected."""
