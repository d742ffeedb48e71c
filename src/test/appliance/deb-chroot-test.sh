#!/usr/bin/env bash
# deb-chroot-test.sh [--check] DEB WORKDIR - installs the package into a Debian chroot and purges
# it again. Run by DebPackageIT as root.
#
# The chroot is a fresh bookworm minbase (debian-chroot.sh: made once, cached with the downloaded
# .debs, so that a second run downloads nothing).
#  1. apt-get install ./DEB in the fresh chroot: apt resolves the Depends (JRE, libpcap, ethtool);
#     the user, the groups, the files and the service's enablement are in place (nothing is
#     started: there is no running systemd); `tapdoctor --version` runs as the launcher, with
#     the class-data sharing archive postinst made (a stale one is not used; the dpkg trigger on
#     /usr/lib/jvm makes it again); a replay through the launcher, with the options it adds for
#     replays, prints diagnoses and no JVM warning.
#  2. apt-get purge, a snapshot of the chroot, dpkg -i DEB, dpkg --purge, a second snapshot:
#     the two must be identical (paths, modes, owners; /etc/passwd, group, shadow, gshadow).
set -euo pipefail

if [ "${1:-}" = --check ]; then
    command -v debootstrap >/dev/null || { echo "missing: debootstrap"; exit 1; }
    exit 0
fi
DEB=$(realpath "$1")
WORK=$2
START=$(date +%s)
step() { echo "[$(( $(date +%s) - START ))s] $*"; }

. "$(dirname "$(realpath "$0")")/debian-chroot.sh"
trap chroot_cleanup EXIT
step "unpack the cached chroot (debootstrap once, cached in $CHROOT_CACHE)"
chroot_unpack "$WORK/chroot"
ROOT=$CHROOT_ROOT
cp "$DEB" "$ROOT/tmp/tapdoctor.deb"

step "apt-get install ./tapdoctor.deb (dependencies from the mirror)"
in_root apt-get update -qq
in_root apt-get install -y -qq --no-install-recommends -o APT::Keep-Downloaded-Packages=true /tmp/tapdoctor.deb \
    > "$WORK/apt-install.log" 2>&1 || { tail -30 "$WORK/apt-install.log"; exit 1; }
in_root dpkg-query -W -f='${Package} ${Version} ${Status}\n' tapdoctor

fail() { echo "FAIL: $*"; exit 1; }
# check_cds_used WHAT: the launcher maps the class-data sharing archive (-Xshare:on fails when it
# cannot), as the service's user: tapdoctor's own classes come from it.
check_cds_used() {
    [ -f "$ROOT/var/cache/tapdoctor-cds/tapdoctor.jsa" ] || fail "no class-data sharing archive"
    out=$(in_root su -s /bin/sh -c "TAPDOCTOR_JAVA_OPTS='-Xshare:on -Xlog:class+load=info:stderr -Xlog:cds=info:stderr' \
        tapdoctor --version" tapdoctor 2>&1) || fail "tapdoctor with the archive and -Xshare:on: $out"
    # (not echo | grep -q: under pipefail, grep's early exit fails the echo now and then)
    case "$out" in *"org.tapdoctor.service.Main source: shared objects file (top)"*) ;; *)
        fail "the class-data sharing archive is not used: key $(cat "$ROOT/var/cache/tapdoctor-cds/tapdoctor.jsa.key"),
jar $(stat -c '%s:%Y' "$ROOT/usr/share/tapdoctor/tapdoctor.jar"); $(echo "$out" | grep -v 'class,load')" ;;
    esac
    echo "class-data sharing archive $1: $(stat -c %s "$ROOT/var/cache/tapdoctor-cds/tapdoctor.jsa") bytes, used"
}

check_installed() {
    in_root getent passwd tapdoctor | grep -q ':/var/lib/tapdoctor:/usr/sbin/nologin$' || fail "no user tapdoctor"
    for group in tapdoctor gpio i2c; do
        in_root getent group "$group" >/dev/null || fail "no group $group"
    done
    in_root id -nG tapdoctor | tr ' ' '\n' | sort | tr '\n' ' ' | grep -q '^gpio i2c tapdoctor $' \
        || fail "tapdoctor's groups: $(in_root id -nG tapdoctor)"
    for f in /usr/share/tapdoctor/tapdoctor.jar /usr/bin/tapdoctor /etc/tapdoctor/tapdoctor.conf \
             /lib/systemd/system/tapdoctor.service /lib/systemd/system/tapdoctor-offloads@.service \
             /lib/udev/rules.d/60-tapdoctor-gpio-i2c.rules /lib/udev/rules.d/81-tapdoctor-offloads.rules \
             /usr/lib/modules-load.d/tapdoctor.conf /usr/share/tapdoctor/network/20-tapdoctor-br0.netdev; do
        [ -f "$ROOT$f" ] || fail "missing $f"
    done
    [ "$(in_root stat -c '%U:%G %a' /var/lib/tapdoctor)" = "tapdoctor:tapdoctor 750" ] \
        || fail "/var/lib/tapdoctor is $(in_root stat -c '%U:%G %a' /var/lib/tapdoctor)"
    [ -L "$ROOT/etc/systemd/system/multi-user.target.wants/tapdoctor.service" ] || fail "tapdoctor.service not enabled"
    in_root dpkg-query -W -f='${Conffiles}\n' tapdoctor | grep -q '/etc/tapdoctor/tapdoctor.conf' \
        || fail "tapdoctor.conf is not a conffile"
    version=$(in_root tapdoctor --version)
    echo "tapdoctor --version: $version"
    case "$version" in "tapdoctor "*) ;; *) fail "tapdoctor --version printed '$version'" ;; esac
    # The service's user can run it (as systemd would, without capabilities: replay needs none).
    in_root su -s /bin/sh -c 'tapdoctor run --help >/dev/null' tapdoctor || fail "tapdoctor run --help as tapdoctor"
    check_cds_used "made by postinst"
    # A replay through the launcher, with the options it adds for replays (serial collector, C2
    # inlining limits, huge pages where offered): diagnoses on stdout, not one JVM warning on stderr.
    out=$(in_root su -s /bin/sh -c 'tapdoctor replay --format jsonl /usr/share/tapdoctor/site-visit.pcap 2>/tmp/replay.err' tapdoctor) \
        || fail "tapdoctor replay as tapdoctor: $(cat "$ROOT/tmp/replay.err")"
    case "$out" in *'"kind":'*) ;; *) fail "tapdoctor replay printed no diagnosis: $out" ;; esac
    [ ! -s "$ROOT/tmp/replay.err" ] || fail "tapdoctor replay wrote to stderr: $(cat "$ROOT/tmp/replay.err")"
    rm -f "$ROOT/tmp/replay.err"
    echo "replay through the launcher: $(echo "$out" | wc -l) lines, stderr empty"
    # The options reach the JVM for replay only, and a collector named in TAPDOCTOR_JAVA_OPTS wins.
    flags() { # OPTS ARGS: the JVM's final flags for that start, one "name = value" per line
        in_root su -s /bin/sh -c "TAPDOCTOR_JAVA_OPTS='$1 -XX:+PrintFlagsFinal' tapdoctor $2" tapdoctor 2>&1 \
            | awk '$3 == "=" { print $2 " = " $4 }'
    }
    f=$(flags "" "replay --format jsonl /usr/share/tapdoctor/site-visit.pcap")
    for want in "FreqInlineSize = 150" "InlineSmallCode = 1500" "UseSerialGC = true"; do
        case "$f" in *"$want"*) ;; *) fail "replay through the launcher: no $want" ;; esac
    done
    f=$(flags "-XX:+UseG1GC" "replay --format jsonl /usr/share/tapdoctor/site-visit.pcap")
    case "$f" in *"UseG1GC = true"*"UseSerialGC = false"*) ;; *) fail "TAPDOCTOR_JAVA_OPTS=-XX:+UseG1GC: not G1 alone" ;; esac
    f=$(flags "" "--version")
    case "$f" in *"FreqInlineSize ="*) ;; *) fail "--version with -XX:+PrintFlagsFinal printed no flags" ;; esac
    case "$f" in *"FreqInlineSize = 150"*) fail "the replay options reached a start that is not a replay" ;; esac
    echo "replay options: inlining limits and the serial collector for replay only, TAPDOCTOR_JAVA_OPTS's collector wins"
    echo "installed: user, groups, files, state directory, service enabled, conffile, launcher"
}
check_installed

step "class-data sharing: a stale archive is not used; the trigger on /usr/lib/jvm makes it again"
touch "$ROOT/usr/share/tapdoctor/tapdoctor.jar" # as a new jar or JVM build would
out=$(in_root su -s /bin/sh -c "TAPDOCTOR_JAVA_OPTS='-Xlog:class+load=info:stderr' tapdoctor --version" tapdoctor 2>&1)
case "$out" in *"Main source: shared objects file (top)"*) fail "a stale archive was used" ;; esac
case "$out" in *"[warning]"*) fail "the stale archive made the JVM warn: $(echo "$out" | grep -F "[warning]")" ;; esac
in_root dpkg-trigger --no-await /usr/lib/jvm
in_root dpkg --triggers-only --pending > "$WORK/dpkg-triggers.log" 2>&1 || { cat "$WORK/dpkg-triggers.log"; exit 1; }
check_cds_used "made again by the trigger"

snapshot() { # what the package may leave behind: every path with its mode and owner, and the user db
    (cd "$ROOT" && find . -xdev \( -path ./proc -o -path ./var/cache -o -path ./var/lib/apt -o -path ./var/lib/dpkg \
        -o -path ./var/log -o -path ./tmp -o -path ./var/lib/systemd/deb-systemd-helper-masked \) -prune -o -printf '%p %m %U %G\n' | sort)
    for f in passwd group shadow gshadow; do echo "== $f"; cat "$ROOT/etc/$f"; done
}

step "purge, then dpkg -i / dpkg --purge between two snapshots"
in_root apt-get purge -y -qq tapdoctor > "$WORK/apt-purge.log" 2>&1 || { cat "$WORK/apt-purge.log"; exit 1; }
snapshot > "$WORK/before.txt"
in_root dpkg -i /tmp/tapdoctor.deb > "$WORK/dpkg-i.log" 2>&1 || { cat "$WORK/dpkg-i.log"; exit 1; }
check_installed
in_root dpkg --purge tapdoctor > "$WORK/dpkg-purge.log" 2>&1 || { cat "$WORK/dpkg-purge.log"; exit 1; }
snapshot > "$WORK/after.txt"
if ! diff -u "$WORK/before.txt" "$WORK/after.txt"; then
    fail "purge left something behind (or removed something)"
fi
in_root getent passwd tapdoctor && fail "user tapdoctor still there"
[ ! -e "$ROOT/etc/tapdoctor" ] && [ ! -e "$ROOT/var/lib/tapdoctor" ] && [ ! -e "$ROOT/var/cache/tapdoctor-cds" ] \
    || fail "/etc/tapdoctor, /var/lib/tapdoctor or /var/cache/tapdoctor-cds still there"
step "purge ok: nothing left behind"
