"""Before Qt loads its window-system plugin: is there a screen to draw on, and can the plugin load?

Qt answers both questions by aborting the process (``qFatal``: "could not connect to display",
"Could not load the Qt platform plugin "xcb""), with a hint that often names the wrong library.
This module asks them first, in plain Python (no Qt is imported here), and turns each failure
into one line the user can act on:

- no ``DISPLAY`` or ``WAYLAND_DISPLAY`` (and no ``QT_QPA_PLATFORM``): there is no screen; the
  command line works, or the window can run headless;
- an X11 display that nothing answers on;
- a platform plugin whose shared libraries are missing: which ones (read from the plugin's own
  dependencies with ``ldd``) and the Debian packages that provide them.

Only Linux (and the other Unixes Qt draws through X11 or Wayland) is checked; on Windows and
macOS Qt's own platform is always there.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import re
import socket
import sys
from collections.abc import Mapping
from pathlib import Path

from idm_desktop.core.errors import IdmError
from idm_desktop.core.i18n import _

log = logging.getLogger(__name__)

# Shared libraries Qt's xcb plugin (and the Qt libraries beneath it) load, and the Debian
# package of each: what ``apt-get install`` needs to hear.
DEBIAN_PACKAGES: Mapping[str, str] = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-xinput.so.0": "libxcb-xinput0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libSM.so.6": "libsm6",
    "libICE.so.6": "libice6",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
}

_NOT_FOUND = re.compile(r"^\s*(\S+)\s*=>\s*not found", re.MULTILINE)


class DisplayError(IdmError):
    """The window cannot open on this computer as it is; the command line still works."""


def check_display(env: Mapping[str, str] | None = None, plugins: Path | None = None) -> None:
    """Raise :class:`DisplayError` when Qt would abort at start-up for want of a screen or of a
    library; return quietly when the window can be tried (or when this cannot be told)."""
    env = os.environ if env is None else env
    if not sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return
    platform = env.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    if platform.startswith("wayland"):
        _require_wayland(env)
        return
    if not platform:
        if env.get("WAYLAND_DISPLAY") and _wayland_answers(env):
            return  # Qt picks Wayland, or falls back to X11 on its own
        if env.get("WAYLAND_DISPLAY") and not env.get("DISPLAY"):
            _require_wayland(env)
        display = env.get("DISPLAY", "")
        if not display:
            raise DisplayError(_(
                "There is no display to open the window on (DISPLAY and WAYLAND_DISPLAY are not set): "
                "the command line works without one (idm-desktop --help), or run the window headless "
                "with QT_QPA_PLATFORM=offscreen."))
        platform = "xcb"
        _require_x_server(display)
    elif platform == "xcb":
        if not env.get("DISPLAY"):
            raise DisplayError(_(
                "QT_QPA_PLATFORM=xcb asks for an X11 display, but DISPLAY is not set: the command line "
                "works without one (idm-desktop --help), or run the window headless with "
                "QT_QPA_PLATFORM=offscreen."))
        _require_x_server(env["DISPLAY"])
    folder = plugins if plugins is not None else platform_plugins(env)
    if folder is None:
        return
    plugin = folder / f"libq{platform}.so"
    if not plugin.exists():
        return  # Qt says which platforms it has, and we cannot name a library
    if _loads(plugin):
        return  # what Qt will load next is there (and is now loaded, which Qt would do anyway)
    missing = missing_libraries(plugin)
    if missing:
        raise DisplayError(_(
            "The window cannot open: Qt's {platform} plugin needs libraries this computer lacks "
            "({libraries}); {how}. The command line works without them (idm-desktop --help)."
        ).format(platform=platform, libraries=", ".join(missing), how=install_advice(missing)))


def install_advice(libraries: list[str]) -> str:
    """How to get ``libraries`` (sonames): the apt-get line for those whose Debian package we know
    (the others are named in the message already), else the package manager in general."""
    packages = sorted({DEBIAN_PACKAGES[lib] for lib in libraries if lib in DEBIAN_PACKAGES})
    if packages:
        return _("on Debian or Ubuntu: sudo apt-get install {packages}").format(packages=" ".join(packages))
    return _("install them with your system's package manager")


def platform_plugins(env: Mapping[str, str] | None = None) -> Path | None:
    """Qt's folder of platform plugins, found without importing Qt: the one
    ``QT_QPA_PLATFORM_PLUGIN_PATH`` names (Qt looks there first too), else the one in a frozen
    build, an installed wheel or a checkout."""
    env = os.environ if env is None else env
    candidates: list[Path] = []
    if env.get("QT_QPA_PLATFORM_PLUGIN_PATH"):
        candidates.append(Path(env["QT_QPA_PLATFORM_PLUGIN_PATH"]))
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        candidates.append(Path(bundle) / "PySide6" / "Qt" / "plugins" / "platforms")
    spec = importlib.util.find_spec("PySide6")
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            root = Path(location)
            candidates += [root / "Qt" / "plugins" / "platforms", root / "plugins" / "platforms"]
    return next((c for c in candidates if c.is_dir()), None)


def _loads(library: Path) -> bool:
    """Whether the dynamic loader loads ``library`` and everything it needs: the quick answer of
    a start where nothing is missing (``ldd``, a process of its own, is asked only on failure)."""
    import ctypes

    try:
        ctypes.CDLL(str(library))
    except OSError:
        return False
    return True


def missing_libraries(library: Path) -> list[str]:
    """The shared libraries ``library`` needs, directly or through others, that the dynamic
    loader cannot find (``ldd``); empty when all are there or when ``ldd`` is not available."""
    import shutil
    import subprocess

    ldd = shutil.which("ldd")
    if ldd is None:
        return []
    try:
        out = subprocess.run([ldd, str(library)], capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        log.warning("could not run ldd on %s", library, exc_info=True)
        return []
    return sorted(set(_NOT_FOUND.findall(out.stdout)))


def _wayland_socket(env: Mapping[str, str]) -> Path | None:
    name = env.get("WAYLAND_DISPLAY") or "wayland-0"
    if name.startswith("/"):
        return Path(name)
    runtime = env.get("XDG_RUNTIME_DIR")
    return Path(runtime) / name if runtime else None


def _wayland_answers(env: Mapping[str, str]) -> bool:
    path = _wayland_socket(env)
    if path is None:
        return False
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(2)
        try:
            sock.connect(str(path))
        except OSError:
            return False
    return True


def _require_wayland(env: Mapping[str, str]) -> None:
    """Raise when no Wayland compositor answers where Qt would look for one."""
    if _wayland_answers(env):
        return
    where = str(_wayland_socket(env) or env.get("WAYLAND_DISPLAY") or "wayland-0")
    raise DisplayError(_(
        "No Wayland display answers at {socket}: start the window from your desktop session, use the "
        "command line (idm-desktop --help), or run the window headless with QT_QPA_PLATFORM=offscreen."
    ).format(socket=where))


def _require_x_server(display: str) -> None:
    """Raise when nothing answers on the X11 display ``display`` (":0", "localhost:10.0")."""
    match = re.fullmatch(r"(?P<host>[^:]*):(?P<number>\d+)(?:\.\d+)?", display.strip())
    if match is None:
        return  # a form we do not know (launchd paths…): let Qt try
    host, number = match["host"], int(match["number"])
    if host in ("", "unix"):
        addresses = [f"\0/tmp/.X11-unix/X{number}", f"/tmp/.X11-unix/X{number}"]
        for address in addresses:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.settimeout(2)
                try:
                    sock.connect(address)
                except OSError:
                    continue
                return
    else:
        try:
            with socket.create_connection((host, 6000 + number), timeout=3):
                return
        except OSError:
            pass
    raise DisplayError(_(
        "No display answers at DISPLAY={display}: start the window from your desktop session, use the "
        "command line (idm-desktop --help), or run the window headless with QT_QPA_PLATFORM=offscreen."
    ).format(display=display))
