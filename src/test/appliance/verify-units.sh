#!/usr/bin/env bash
# verify-units.sh [--check] - `systemd-analyze verify` on every unit of systemd/ and image/files/,
# and `systemd-analyze security` of tapdoctor.service. Run by SystemdUnitsIT.
#
# verify checks that every ExecStart binary exists, so it runs against a throw-away root
# (--root=DIR): the host's own unit directory copied in (for sysinit.target and friends), the
# units under test in DIR/etc/systemd/system, and stubs for /usr/bin/tapdoctor and
# /usr/lib/tapdoctor/tapdoctor-firstboot (the host is not changed). Template units are verified
# as an instance (tapdoctor-offloads@tapA.service). security uses --offline=true on the file
# (systemd 252), so nothing is installed on the host either.
# Prints "exposure N.N" as its last line.
set -euo pipefail
cd "$(dirname "$0")/../../.."

if [ "${1:-}" = --check ]; then
    missing=""
    for tool in systemd-analyze ethtool; do
        command -v "$tool" >/dev/null || missing="$missing $tool"
    done
    [ -z "$missing" ] || { echo "missing:$missing (packages systemd, ethtool)"; exit 1; }
    exit 0
fi

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/usr/lib/systemd" "$root/etc/systemd/system" "$root/usr/bin" "$root/usr/sbin" \
    "$root/usr/lib/tapdoctor"
cp -a /usr/lib/systemd/system "$root/usr/lib/systemd/"
printf '#!/bin/sh\n' > "$root/usr/bin/tapdoctor"
printf '#!/bin/sh\n' > "$root/usr/lib/tapdoctor/tapdoctor-firstboot"
chmod 755 "$root/usr/bin/tapdoctor" "$root/usr/lib/tapdoctor/tapdoctor-firstboot"
cp "$(command -v ethtool)" "$root/usr/sbin/ethtool"

units=()
for file in systemd/*.service image/files/*.service; do
    cp "$file" "$root/etc/systemd/system/"
    name=$(basename "$file")
    case "$name" in
        *@.service) units+=("${name%@.service}@tapA.service") ;;
        *) units+=("$name") ;;
    esac
done
echo "verify: ${units[*]}"
# verify prints warnings and errors on stderr and exits non-zero on errors; any output at all is a
# finding (a misspelt directive is only a warning).
out=$(systemd-analyze verify --root="$root" "${units[@]}" 2>&1) || { echo "$out"; echo "verify failed"; exit 1; }
if [ -n "$out" ]; then
    echo "$out"
    echo "verify reported findings"
    exit 1
fi
echo "verify: ok"

security=$(systemd-analyze security --offline=true --no-pager systemd/tapdoctor.service 2>&1) || {
    echo "$security"; exit 1; }
echo "$security" | grep '✗' || true
score=$(echo "$security" | sed -n 's/.*Overall exposure level for tapdoctor.service: \([0-9.]*\) \([A-Z]*\).*/\1 \2/p')
[ -n "$score" ] || { echo "$security" | tail -5; echo "no exposure level"; exit 1; }
echo "exposure $score"
