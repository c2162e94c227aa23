"""Allow ``python -m wijkteam``."""

from wijkteam.cli import main

raise SystemExit(main())
