#!/usr/bin/env bash
# Removes what install.sh installed: the app's folder, its menu entry and its icon. Your
# drafts, settings and logs stay (see the last line it prints).
set -euo pipefail

prefix="$HOME/.local/opt/flexdesk"
data="${XDG_DATA_HOME:-$HOME/.local/share}/flexdesk"

if [[ ! -x "$prefix/flexdesk" ]]; then
    echo "flexdesk is not installed in $prefix: nothing to remove"
    exit 0
fi
if [[ -f "$prefix/installed-files" ]]; then
    while IFS= read -r path; do
        case "$path" in  # only what install.sh writes, whatever the list says
            */applications/flexdesk.desktop | */icons/hicolor/scalable/apps/flexdesk.svg)
                rm -f -- "$path" ;;
        esac
    done < "$prefix/installed-files"
fi
rm -rf -- "$prefix"
echo "flexdesk is removed. Your drafts and settings are still in $data: delete that folder" \
    "to remove them too."
