#!/usr/bin/env bash
# build-image.sh - a bootable Raspberry Pi 4 SD-card image with tapdoctor installed and the
# transparent bridge configured, from Debian's own arm64 packages. Nothing is mounted: the root
# file system is made with mmdebstrap under qemu-user-static, the FAT boot partition with mtools,
# the ext4 partitions with `mke2fs -d`, and the disk with sfdisk + dd.
#
#   image/build-image.sh [--deb target/tapdoctor_*_all.deb] [--out build-image] [--read-only]
#                        [--suite bookworm] [--mirror URL] [--assemble-only]
#
# --assemble-only reuses OUT/rootfs from an earlier run (configure-rootfs.sh is applied again,
# then the disk is assembled): seconds instead of the root file system's ~20-30 minutes.
# Writes OUT/tapdoctor-pi4.img (3 GiB: boot 256 MiB FAT32, root 2.5 GiB ext4, data 240 MiB
# ext4 at /var/lib/tapdoctor) and keeps OUT/root.ext4, OUT/boot/ (kernel, initrd) for
# image/smoke-boot.sh. Needs root (chroot), mmdebstrap, qemu-user-static, binfmt-support,
# mtools, dosfstools, e2fsprogs, fdisk. About 20 minutes on 2 cores, most of it under emulation.
set -euo pipefail
cd "$(dirname "$0")/.."

DEB=$(ls -t target/tapdoctor_*_all.deb 2>/dev/null | head -1 || true)
OUT=build-image
READ_ONLY=no
ASSEMBLE_ONLY=no
SUITE=bookworm
MIRROR=http://deb.debian.org/debian
while [ $# -gt 0 ]; do
    case "$1" in
        --deb) DEB=$2; shift 2 ;;
        --out) OUT=$2; shift 2 ;;
        --read-only) READ_ONLY=yes; shift ;;
        --assemble-only) ASSEMBLE_ONLY=yes; shift ;;
        --suite) SUITE=$2; shift 2 ;;
        --mirror) MIRROR=$2; shift 2 ;;
        *) echo "usage: $0 [--deb FILE] [--out DIR] [--read-only] [--suite S] [--mirror URL] [--assemble-only]" >&2; exit 2 ;;
    esac
done
[ -n "$DEB" ] && [ -f "$DEB" ] || { echo "no .deb: run 'mvn package' first or give --deb" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "needs root (mmdebstrap chroots)" >&2; exit 1; }
DEB=$(realpath "$DEB")
HERE=$PWD/image
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
START=$(date +%s)
step() { echo "[$(( $(date +%s) - START ))s] $*"; }

# --- binfmt: run arm64 binaries in the chroot (LIBRARIES.md, "The appliance image")
if [ "$(uname -m)" != aarch64 ]; then
    mountpoint -q /proc/sys/fs/binfmt_misc || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
    update-binfmts --enable qemu-aarch64 2>/dev/null || true
    [ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] || { echo "qemu-aarch64 binfmt not registered" >&2; exit 1; }
fi

ROOT=$OUT/rootfs
if [ "$ASSEMBLE_ONLY" = yes ]; then
    [ -x "$ROOT/usr/bin/tapdoctor" ] || { echo "--assemble-only: no root file system in $ROOT" >&2; exit 1; }
    step "reusing $ROOT: boot files back in place, configure-rootfs.sh again"
    cp -a "$OUT/boot/." "$ROOT/boot/firmware/"
    rm -f "$ROOT/boot/firmware/tapdoctor.txt"
    mount -t proc proc "$ROOT/proc"
    "$HERE/configure-rootfs.sh" "$ROOT" "$READ_ONLY" || { umount "$ROOT/proc"; exit 1; }
    umount "$ROOT/proc"
    rm -rf "$OUT/boot" "$OUT/data" "$OUT"/*.ext4 "$OUT"/*.vfat "$OUT"/*.img
else
    rm -rf "$ROOT" "$OUT/boot" "$OUT"/*.ext4 "$OUT"/*.vfat "$OUT"/*.img

    PACKAGES=(
        systemd-sysv udev dbus kmod iproute2 ethtool iputils-ping procps less nano
        linux-image-arm64 raspi-firmware firmware-brcm80211 wpasupplicant
        systemd-timesyncd systemd-resolved openssh-server ca-certificates
        openjdk-17-jre-headless libpcap0.8 adduser init-system-helpers
        e2fsprogs dosfstools overlayroot busybox
    )
    # busybox: overlayroot's initramfs script calls grep, which an initramfs has only with busybox.
    # systemd-resolved: the DNS servers of the management DHCP lease (the MQTT broker by name).

    step "root file system: mmdebstrap $SUITE arm64 (${#PACKAGES[@]} packages and their dependencies)"
    # The kernel's hooks copy it with its initrd and device trees to /boot/firmware (raspi-firmware):
    # that directory exists before the kernel is installed and becomes the FAT partition.
    mmdebstrap --architectures=arm64 --variant=minbase \
        --components="main contrib non-free-firmware" \
        --include="$(IFS=,; echo "${PACKAGES[*]}")" \
        --setup-hook='mkdir -p "$1/boot/firmware"' \
        --customize-hook="copy-in '$DEB' /tmp" \
        --customize-hook='chroot "$1" sh -c "dpkg -i /tmp/tapdoctor_*_all.deb && rm /tmp/tapdoctor_*_all.deb"' \
        --customize-hook="'$HERE/configure-rootfs.sh' \"\$1\" $READ_ONLY" \
        "$SUITE" "$ROOT" "$MIRROR" 2>&1 | tee "$OUT/mmdebstrap.log" | grep -E '^(I:|E:|W:)' || true
    [ -x "$ROOT/usr/bin/tapdoctor" ] || { echo "mmdebstrap failed: see $OUT/mmdebstrap.log" >&2; exit 1; }
fi

step "split: boot partition contents, root, data"
mkdir -p "$OUT/boot" "$OUT/data"
cp -a "$ROOT/boot/firmware/." "$OUT/boot/"
rm -rf "${ROOT:?}/boot/firmware/"*
cp "$HERE/files/tapdoctor.txt" "$OUT/boot/tapdoctor.txt"
# The data partition holds the service's state (evidence, MQTT buffer), owned by its user.
cp -a "$ROOT/var/lib/tapdoctor/." "$OUT/data/" 2>/dev/null || true
uid=$(awk -F: '$1 == "tapdoctor" { print $3 }' "$ROOT/etc/passwd")
gid=$(awk -F: '$1 == "tapdoctor" { print $3 }' "$ROOT/etc/group")
chown "$uid:$gid" "$OUT/data"; chmod 0750 "$OUT/data"
ls "$OUT/boot"

BOOT_MB=256 ROOT_MB=2560 DATA_MB=240
step "file systems: FAT32 ${BOOT_MB} MiB (mtools), root ext4 ${ROOT_MB} MiB and data ${DATA_MB} MiB (mke2fs -d)"
rm -f "$OUT/boot.vfat"
mkfs.vfat -C -F 32 -n RASPIFIRM "$OUT/boot.vfat" $((BOOT_MB * 1024)) >/dev/null
MTOOLS_SKIP_CHECK=1 mcopy -s -i "$OUT/boot.vfat" "$OUT"/boot/* ::/
mke2fs -q -t ext4 -L TDROOT -d "$ROOT" "$OUT/root.ext4" ${ROOT_MB}M
mke2fs -q -t ext4 -L TDDATA -d "$OUT/data" "$OUT/data.ext4" ${DATA_MB}M

step "disk: MBR with sfdisk, partitions written with dd"
IMG=$OUT/tapdoctor-pi4.img
TOTAL_MB=$((1 + BOOT_MB + ROOT_MB + DATA_MB))
truncate -s ${TOTAL_MB}M "$IMG"
sfdisk --quiet "$IMG" <<SFDISK
label: dos
unit: sectors
start=2048, size=$((BOOT_MB * 2048)), type=c, bootable
start=$((2048 + BOOT_MB * 2048)), size=$((ROOT_MB * 2048)), type=83
start=$((2048 + (BOOT_MB + ROOT_MB) * 2048)), size=$((DATA_MB * 2048)), type=83
SFDISK
dd if="$OUT/boot.vfat" of="$IMG" bs=1M seek=1 conv=notrunc,sparse status=none
dd if="$OUT/root.ext4" of="$IMG" bs=1M seek=$((1 + BOOT_MB)) conv=notrunc,sparse status=none
dd if="$OUT/data.ext4" of="$IMG" bs=1M seek=$((1 + BOOT_MB + ROOT_MB)) conv=notrunc,sparse status=none
sfdisk --list "$IMG"
step "done: $IMG ($(du -h --apparent-size "$IMG" | cut -f1), $(du -h "$IMG" | cut -f1) used). Flash: dd if=$IMG of=/dev/sdX bs=4M conv=fsync"
