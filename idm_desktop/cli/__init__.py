"""``idm-desktop``, the command line: :mod:`~idm_desktop.cli.main` (parser, logging, exit codes, the
one table of commands), one module per area of commands, :mod:`~idm_desktop.cli.output` (what is
printed, and the --json shapes).

``main`` is the console script's entry point (``idm_desktop.cli:main``).
"""

from idm_desktop.cli.main import main

__all__ = ["main"]
