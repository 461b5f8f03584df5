"""The bundle's entry point: the installed package's command line, nothing else."""

import sys

from flexdesk.app import main

sys.exit(main())
