"""Command-line entry point of wijkteam (the logic lives in :mod:`geo` and :mod:`optimize`).

Public helpers shared by the CLI and the app: :func:`own_teams` (teams named by wijk) and
:mod:`wijkteam.workload` (the team areas' workload per buurt).
"""

from wijkteam._teams import own_teams

__all__ = ["own_teams"]
