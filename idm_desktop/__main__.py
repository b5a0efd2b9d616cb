"""``python -m idm_desktop``: the same as the ``idm-desktop`` command."""

import sys

from idm_desktop.cli import main

sys.exit(main())
