"""`python -m flexdesk.sandbox`: see flexdesk.sandbox.cli."""

from flexdesk.sandbox.cli import main

raise SystemExit(main())
