"""The desktop window (PySide6). The only package that imports Qt.

:mod:`.run` is the window's door (the command line starts the window only through it);
:mod:`.main_window` holds the views; :mod:`.tasks` runs work off the GUI thread; the feature
slices (:mod:`.workshops`, :mod:`.library`, :mod:`.submissions`, :mod:`.sync`) import nothing of
each other and take their shared look from :mod:`.formatting`. Everything reaches the library
through :mod:`idm_desktop.app`.
"""
