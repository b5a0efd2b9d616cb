#!/usr/bin/env bash
# Build the desktop program as one folder that runs without Python: dist/idm-desktop/
# (the program dist/idm-desktop/idm-desktop, its _internal/ folder, the .desktop entry and the
# icon). The server is never part of it. Extra arguments go to PyInstaller (e.g. --clean).
set -euo pipefail
case "${1:-}" in -h|--help) sed -n '2,/^set -euo/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;; esac
cd "$(dirname "$0")/.."

scripts/bootstrap  # .venv from the lock: the package and the development tools, PyInstaller among them
# Debian packages the build uses: binutils (PyInstaller strips the binaries; the spec reads and
# links ICU's data library), icu-devtools (icupkg trims ICU's data to our locales), and the xcb
# libraries Qt's X11 plugin needs that desktops often lack (bundled so the program starts
# without them).
declare -A need_cmd=([strip]=binutils [readelf]=binutils [as]=binutils [ld]=binutils [icupkg]=icu-devtools)
declare -A need_lib=(
  [libxcb-cursor.so.0]=libxcb-cursor0 [libxcb-icccm.so.4]=libxcb-icccm4
  [libxcb-keysyms.so.1]=libxcb-keysyms1 [libxcb-image.so.0]=libxcb-image0
  [libxcb-render-util.so.0]=libxcb-render-util0 [libxcb-shape.so.0]=libxcb-shape0
  [libxcb-xkb.so.1]=libxcb-xkb1 [libxkbcommon-x11.so.0]=libxkbcommon-x11-0
)
missing=()
known_libs=$(/sbin/ldconfig -p)
for cmd in "${!need_cmd[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${need_cmd[$cmd]}")
done
for lib in "${!need_lib[@]}"; do
  grep -q "/$lib\$" <<<"$known_libs" || missing+=("${need_lib[$lib]}")
done
if [ ${#missing[@]} -gt 0 ]; then
  pkgs=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
  if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else
    echo "build.sh: the build needs these Debian packages: $pkgs- install them as root (apt-get install $pkgs)" >&2
    exit 1
  fi
  echo "build.sh: installing $pkgs" >&2
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086
  $SUDO apt-get install -y -qq --no-install-recommends $pkgs >/dev/null
fi

start=$(date +%s)
.venv/bin/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
  "$@" packaging/idm-desktop.spec
out=dist/idm-desktop
cp packaging/idm-desktop.desktop resources/icons/idm-desktop.png "$out/"

version=$(.venv/bin/python -c "import idm_desktop; print(idm_desktop.__version__)")
got=$("$out/idm-desktop" --version)
if [ "$got" != "idm-desktop $version" ]; then
  echo "build.sh: the built program says '$got', expected 'idm-desktop $version'" >&2
  exit 1
fi
kib=$(du -sk "$out" | cut -f1)
echo "built $got in $(( $(date +%s) - start )) s: $out/ ($(( kib * 1024 / 1000000 )) MB, $(( kib / 1024 )) MiB)"
