# debian-chroot.sh - sourced by the appliance tests that need a fresh Debian 12 (bookworm): the
# chroot is debootstrap's minbase for amd64, made once and kept as a tarball in
# $TAPDOCTOR_CHROOT_CACHE (default /var/tmp/tapdoctor-test; ~40 s to make, ~2 s to unpack), with
# apt's downloaded .debs kept beside it so that a second run downloads nothing.
#
#   chroot_unpack ROOT    a fresh copy of the base at ROOT, /proc and apt's archive cache mounted
#   in_root CMD...        CMD in the chroot with an empty environment (what a login shell has)
#   chroot_cleanup        unmounts what chroot_unpack mounted (call it from the EXIT trap)

CHROOT_CACHE=${TAPDOCTOR_CHROOT_CACHE:-/var/tmp/tapdoctor-test}
CHROOT_MIRROR=${TAPDOCTOR_MIRROR:-http://deb.debian.org/debian}
CHROOT_ROOT=

chroot_base() {
    mkdir -p "$CHROOT_CACHE/archives/partial"
    exec 9>"$CHROOT_CACHE/lock"
    flock 9 # one debootstrap at a time; the tarball appears whole (mv) or not at all
    if [ ! -f "$CHROOT_CACHE/bookworm-minbase-amd64.tar" ]; then
        rm -rf "$CHROOT_CACHE/base"
        debootstrap --variant=minbase --arch=amd64 bookworm "$CHROOT_CACHE/base" "$CHROOT_MIRROR" \
            > "$CHROOT_CACHE/debootstrap.log" 2>&1 || { tail -20 "$CHROOT_CACHE/debootstrap.log"; return 1; }
        tar -C "$CHROOT_CACHE/base" -cf "$CHROOT_CACHE/bookworm-minbase-amd64.tar.tmp" .
        mv "$CHROOT_CACHE/bookworm-minbase-amd64.tar.tmp" "$CHROOT_CACHE/bookworm-minbase-amd64.tar"
        rm -rf "$CHROOT_CACHE/base"
    fi
    flock -u 9
}

chroot_unpack() {
    CHROOT_ROOT=$1
    chroot_base
    rm -rf "$CHROOT_ROOT"
    mkdir -p "$CHROOT_ROOT"
    tar -C "$CHROOT_ROOT" -xf "$CHROOT_CACHE/bookworm-minbase-amd64.tar"
    mount -t proc proc "$CHROOT_ROOT/proc"
    mount --bind "$CHROOT_CACHE/archives" "$CHROOT_ROOT/var/cache/apt/archives"
    cp /etc/resolv.conf "$CHROOT_ROOT/etc/resolv.conf" 2>/dev/null || true
    # apt deletes what it downloaded after installing; keep it in the cache for the next run
    echo 'APT::Keep-Downloaded-Packages "true";' > "$CHROOT_ROOT/etc/apt/apt.conf.d/01keep-debs"
}

in_root() {
    chroot "$CHROOT_ROOT" env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        HOME=/root DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 "$@"
}

chroot_cleanup() {
    [ -n "$CHROOT_ROOT" ] || return 0
    umount "$CHROOT_ROOT/var/cache/apt/archives" 2>/dev/null || true
    umount "$CHROOT_ROOT/proc" 2>/dev/null || true
}
