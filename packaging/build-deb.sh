#!/usr/bin/env bash
# Turn the desktop build (dist/idm-desktop/, from packaging/build.sh) into a Debian package:
# dist/idm-desktop_<version>_<arch>.deb. It installs
#   /opt/idm-desktop/                                   the program and its _internal/ folder
#   /usr/bin/idm-desktop                                a link to /opt/idm-desktop/idm-desktop
#   /usr/share/applications/idm-desktop.desktop         the menu entry
#   /usr/share/icons/hicolor/256x256/apps/idm-desktop.png   and its icon
# and depends on the X11/xkb libraries Qt's window-system plugin needs, plus every other system
# library the bundle's binaries load (found with ldd, their packages with dpkg -S), so that
# installing it with apt-get brings whatever a minimal desktop lacks.
#
#   packaging/build-deb.sh [--no-build]    (--no-build: use dist/idm-desktop/ as it is)
#
# The package names are those of the Debian release it is built on (CI: Debian 12).
set -euo pipefail
cd "$(dirname "$0")/.."

build=1
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
  -h|--help) sed -n '2,/^set -euo/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
    *) echo "build-deb.sh: unknown option $arg (use --no-build)" >&2; exit 2 ;;
  esac
done
[ "$build" = 1 ] && packaging/build.sh
bundle=dist/idm-desktop
if [ ! -x "$bundle/idm-desktop" ]; then
  echo "build-deb.sh: $bundle/idm-desktop is missing: run packaging/build.sh first" >&2
  exit 1
fi
for cmd in dpkg-deb dpkg ldd; do
  command -v "$cmd" >/dev/null || { echo "build-deb.sh: $cmd is needed (Debian's dpkg and libc-bin)" >&2; exit 1; }
done

version=$("$bundle/idm-desktop" --version | awk '{print $2}')
arch=$(dpkg --print-architecture)
stage=build/deb/root
out="dist/idm-desktop_${version}_${arch}.deb"
rm -rf build/deb
mkdir -p "$stage/DEBIAN" "$stage/opt" "$stage/usr/bin" "$stage/usr/share/applications" \
  "$stage/usr/share/icons/hicolor/256x256/apps" "$stage/usr/share/doc/idm-desktop"
cp -a "$bundle" "$stage/opt/idm-desktop"
# The menu entry and the icon live in the standard places, not in the program folder.
rm -f "$stage/opt/idm-desktop/idm-desktop.desktop" "$stage/opt/idm-desktop/idm-desktop.png"
ln -s /opt/idm-desktop/idm-desktop "$stage/usr/bin/idm-desktop"
install -m 0644 packaging/idm-desktop.desktop "$stage/usr/share/applications/idm-desktop.desktop"
install -m 0644 resources/icons/idm-desktop.png "$stage/usr/share/icons/hicolor/256x256/apps/idm-desktop.png"
cat >"$stage/usr/share/doc/idm-desktop/copyright" <<'EOF'
IDM Delegate Desktop — MIT licence. The program folder /opt/idm-desktop/_internal holds the
libraries it was built with, each under its own licence (Qt and PySide6: LGPLv3; the Liberation
fonts: SIL OFL 1.1; the others as their distributions state).
EOF
find "$stage" -type d -exec chmod 0755 {} +

# Qt's xcb plugin and the libraries desktops often lack: named here whether or not the build
# bundles them, so the window opens on any desktop that installs the package.
declare -A deps=(
  [libc6]=1 [libxcb1]=1 [libx11-6]=1 [libx11-xcb1]=1 [libxcb-cursor0]=1 [libxcb-icccm4]=1
  [libxcb-keysyms1]=1 [libxcb-image0]=1 [libxcb-render-util0]=1 [libxcb-shape0]=1 [libxcb-xkb1]=1
  [libxkbcommon0]=1 [libxkbcommon-x11-0]=1 [libxcb-randr0]=1 [libxcb-render0]=1 [libxcb-shm0]=1
  [libxcb-sync1]=1 [libxcb-xfixes0]=1 [libfontconfig1]=1 [libfreetype6]=1
)
# Every other library the bundle's binaries take from the system, and the package that has it.
libs=$(find "$stage/opt/idm-desktop" -type f \( -name '*.so*' -o -perm -u+x \) -print0 |
  xargs -0 -n 50 ldd 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// && $3 !~ /opt\/idm-desktop|build\/deb/ {print $3}' |
  sort -u)
for lib in $libs; do
  real=$(readlink -f "$lib")
  pkg=$(dpkg -S "$lib" 2>/dev/null || dpkg -S "$real" 2>/dev/null || true)
  pkg=${pkg%%:*}
  if [ -n "$pkg" ]; then deps[$pkg]=1; fi
done
depends=$(printf '%s\n' "${!deps[@]}" | sort | paste -sd, | sed 's/,/, /g')
size_kib=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)

cat >"$stage/DEBIAN/control" <<EOF
Package: idm-desktop
Version: $version
Architecture: $arch
Maintainer: IDM Delegate Desktop <idm-desktop@localhost>
Installed-Size: $size_kib
Depends: $depends
Section: editors
Priority: optional
Description: Offline-first desktop client for delegates to the International Dialogue on Migration
 Keeps a local library of the workshop documents and the submission template, lets a delegate
 draft their government's 2-3 page policy submission in English, French or Spanish with the
 deadline and the exact page count in view, exports it to PDF and DOCX, and syncs with the
 secretariat's service when a link exists.
EOF

mkdir -p dist
rm -f dist/idm-desktop_*.deb
# gzip: every dpkg reads it, and it packs 140 MB in seconds rather than minutes.
dpkg-deb --root-owner-group -Zgzip --build "$stage" "$out" >/dev/null
echo "built $out ($(( $(stat -c %s "$out") / 1000000 )) MB; installs $(( size_kib / 1024 )) MiB)"
echo "depends: $depends"
