"""Command-line entry point of wijkteam (the logic lives in :mod:`geo` and :mod:`optimize`)."""
