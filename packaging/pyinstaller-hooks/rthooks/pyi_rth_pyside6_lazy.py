"""Run-time hook for PySide6 in the desktop build, in place of PyInstaller's own.

PyInstaller's hook imports PySide6.QtCore when the program starts, to check that Qt's prefix is
the bundle's; that loads Qt and ICU before every command, though most commands of the CLI never
touch Qt (~80 ms of each start). PySide6 sets that prefix itself (an embedded qt.conf) when
QtCore is first imported, so this hook only says where the plugins are, as PyInstaller's does.
"""

import os
import sys


def _pyi_rthook() -> None:
    if sys.platform.startswith("win"):
        qt_dir = os.path.join(sys._MEIPASS, "PySide6")
        # Qt's plugins find the Qt DLLs (and QtNetwork the OpenSSL DLLs) next to the program.
        os.environ["PATH"] = sys._MEIPASS + os.pathsep + os.environ.get("PATH", "")
    else:
        qt_dir = os.path.join(sys._MEIPASS, "PySide6", "Qt")
    os.environ["QT_PLUGIN_PATH"] = os.path.join(qt_dir, "plugins")


_pyi_rthook()
del _pyi_rthook
