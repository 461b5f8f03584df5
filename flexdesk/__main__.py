import sys

from flexdesk.app import main

sys.exit(main())
