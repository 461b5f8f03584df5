#!/usr/bin/env bash
# Installs this unpacked flexdesk for you alone, no administrator needed:
#   the app          ~/.local/opt/flexdesk/
#   its menu entry   ~/.local/share/applications/flexdesk.desktop
#   its icon         ~/.local/share/icons/hicolor/scalable/apps/flexdesk.svg
# Run it again to update. ~/.local/opt/flexdesk/uninstall.sh removes exactly these.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
prefix="$HOME/.local/opt/flexdesk"
share="${XDG_DATA_HOME:-$HOME/.local/share}"
entry="$share/applications/flexdesk.desktop"
icon="$share/icons/hicolor/scalable/apps/flexdesk.svg"
resources="$here/_internal/flexdesk/resources"

if [[ ! -x "$here/flexdesk" || ! -f "$resources/flexdesk.desktop" ]]; then
    echo "install.sh: run it from the unpacked flexdesk folder (flexdesk/install.sh)" >&2
    exit 1
fi
if [[ "$here" == "$prefix" ]]; then
    echo "flexdesk is already installed in $prefix"
    exit 0
fi

# Copied beside the old one first, so an update that fails half-way leaves the old app whole.
mkdir -p "$(dirname "$prefix")"
rm -rf "$prefix.new"
cp -R "$here" "$prefix.new"
rm -rf "$prefix"
mv "$prefix.new" "$prefix"

mkdir -p "$(dirname "$entry")" "$(dirname "$icon")"
install -m 644 "$resources/flexdesk.svg" "$icon"
# The menu starts the app by its full path: ~/.local/opt is on no one's PATH.
sed -e "s|^Exec=.*|Exec=\"$prefix/flexdesk\"|" \
    "$resources/flexdesk.desktop" > "$entry"
chmod 644 "$entry"
# What uninstall.sh removes besides the app's folder. (Menus notice the new entry by
# themselves: no update-desktop-database, whose cache file would outlive an uninstall.)
printf '%s\n' "$entry" "$icon" > "$prefix/installed-files"

echo "flexdesk $("$prefix/flexdesk" --version | cut -d' ' -f2) is installed in $prefix."
echo "Start it from your applications menu. To remove it: $prefix/uninstall.sh"
