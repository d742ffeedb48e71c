#!/usr/bin/env bash
# readme-first-command.sh [--check] root|sudo REPO COMMAND_FILE WORKDIR - runs the README's first
# command ("Try it") on a fresh Debian 12 chroot, as a new user would. Run by ReadmeFirstCommandIT
# as root; the command's output goes to WORKDIR/output.txt.
#   root: as root, as on a fresh Debian 12 install, which has no sudo (checked first).
#   sudo: as a user with a home directory and sudo (installed and granted first).
# The source tree is REPO's files as git lists them (tracked and new, not ignored): a clone. Maven's
# local repository is seeded with a copy of this machine's, so the build does not depend on Maven
# Central being reachable; apt installs the JDK and Maven from the Debian mirror (cached).
set -euo pipefail
HERE=$(dirname "$(realpath "$0")")

if [ "${1:-}" = --check ]; then
    for tool in debootstrap git; do command -v "$tool" >/dev/null || { echo "missing: $tool"; exit 1; }; done
    exit 0
fi
AS=$1
REPO=$(realpath "$2")
COMMAND=$(cat "$3")
WORK=$4
START=$(date +%s)
step() { echo "[$(( $(date +%s) - START ))s] $*"; }
fail() { echo "FAIL: $*"; exit 1; }

. "$HERE/debian-chroot.sh"
trap chroot_cleanup EXIT
step "unpack a fresh bookworm chroot"
chroot_unpack "$WORK/chroot"
ROOT=$CHROOT_ROOT

case "$AS" in
    root)
        HOME_DIR=/root
        if in_root sh -c 'command -v sudo' >/dev/null; then fail "the fresh chroot has sudo"; fi
        step "no sudo in the chroot, as on a fresh Debian 12"
        ;;
    sudo)
        HOME_DIR=/home/engineer
        step "install sudo, add the user engineer with sudo rights"
        in_root apt-get update -qq
        in_root apt-get install -y -qq --no-install-recommends sudo > "$WORK/apt-sudo.log" 2>&1 \
            || { tail -20 "$WORK/apt-sudo.log"; exit 1; }
        in_root useradd -m -s /bin/bash engineer
        echo 'engineer ALL=(ALL) NOPASSWD:ALL' > "$ROOT/etc/sudoers.d/engineer"
        chmod 440 "$ROOT/etc/sudoers.d/engineer"
        # the package lists the root of a fresh install would not have: apt-get update is the command's
        rm -rf "$ROOT"/var/lib/apt/lists/*
        ;;
    *) fail "root or sudo, not '$AS'" ;;
esac

step "copy the source tree (git ls-files) to $HOME_DIR/tapdoctor"
mkdir -p "$ROOT$HOME_DIR/tapdoctor"
git -C "$REPO" ls-files -z --cached --others --exclude-standard \
    | tar -C "$REPO" --null --ignore-failed-read -T - -cf - | tar -C "$ROOT$HOME_DIR/tapdoctor" -xf -
if [ -d "${M2_REPOSITORY:-$HOME/.m2/repository}" ]; then
    mkdir -p "$ROOT$HOME_DIR/.m2"
    cp -a "${M2_REPOSITORY:-$HOME/.m2/repository}" "$ROOT$HOME_DIR/.m2/repository"
fi
[ "$AS" = root ] || in_root chown -R engineer:engineer "$HOME_DIR"

step "the README's first command, as $AS"
echo "$COMMAND" > "$ROOT/tmp/first-command.sh"
set +e
if [ "$AS" = root ]; then
    in_root bash -c "cd $HOME_DIR/tapdoctor && . /tmp/first-command.sh" > "$WORK/output.txt" 2>&1
else
    in_root su -l engineer -c "cd tapdoctor && . /tmp/first-command.sh" > "$WORK/output.txt" 2>&1
fi
rc=$?
set -e
step "exit $rc, $(wc -l < "$WORK/output.txt") lines of output"
[ "$rc" = 0 ] || { tail -40 "$WORK/output.txt"; fail "the README's first command exited $rc as $AS"; }
