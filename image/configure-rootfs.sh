#!/usr/bin/env bash
# configure-rootfs.sh ROOT READ_ONLY(yes|no) - the appliance's settings on a root file system
# that has tapdoctor installed (run by build-image.sh as an mmdebstrap customize hook).
set -euo pipefail
ROOT=$1
READ_ONLY=${2:-no}
FILES=$(dirname "$0")/files
in_root() { chroot "$ROOT" "$@"; }

echo tapdoctor > "$ROOT/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\ttapdoctor\n::1\tlocalhost ip6-localhost ip6-loopback\n' > "$ROOT/etc/hosts"

# Partitions by label: the SD card is mmcblk0 on the Pi and vda under qemu.
cat > "$ROOT/etc/fstab" <<FSTAB
LABEL=TDROOT     /                    ext4  rw,noatime,commit=60          0 1
LABEL=RASPIFIRM  /boot/firmware       vfat  rw,noatime,umask=0022,nofail  0 2
LABEL=TDDATA     /var/lib/tapdoctor   ext4  rw,noatime,nosuid,nodev       0 2
FSTAB

# The transparent bridge: the package's networkd files made active; networkd and resolved's
# stub are not needed for br0 (no address) but give the management NIC its DHCP address.
cp "$ROOT"/usr/share/tapdoctor/network/* "$ROOT/etc/systemd/network/"
in_root systemctl enable systemd-networkd.service systemd-network-generator.service systemd-resolved.service >/dev/null
# Name resolution from the management lease through resolved (not the build host's resolv.conf).
ln -sf ../run/systemd/resolve/stub-resolv.conf "$ROOT/etc/resolv.conf"
in_root systemctl disable ssh.service >/dev/null 2>&1 || true
rm -f "$ROOT"/etc/ssh/ssh_host_*
# No password login anywhere: root is locked; SSH with a key from tapdoctor.txt, or the console
# after `passwd -u`/init=/bin/sh recovery.
in_root passwd -l root >/dev/null

# The service on the bridge's named ports, evidence pcaps on the data partition.
conf=$ROOT/etc/tapdoctor/tapdoctor.conf
sed -i -e 's/^#interfaces = .*/interfaces = tapA,tapB/' \
       -e 's/^#client_side = .*/client_side = tapA/' \
       -e 's|^#evidence.dir =.*|evidence.dir = /var/lib/tapdoctor/evidence|' "$conf"
grep -q '^interfaces = tapA,tapB' "$conf" && grep -q '^evidence.dir = /var/lib' "$conf"

# Settings from the FAT partition at every boot (device id, MQTT, Wi-Fi, SSH).
install -D -m 755 "$FILES/tapdoctor-firstboot" "$ROOT/usr/lib/tapdoctor/tapdoctor-firstboot"
install -m 644 "$FILES/tapdoctor-firstboot.service" "$ROOT/etc/systemd/system/"
in_root systemctl enable tapdoctor-firstboot.service >/dev/null

# Hardware watchdog: the Pi 4's bcm2835-wdt allows ~16 s. systemd pets it; if PID 1 hangs the
# board resets. (tapdoctor.service has its own software watchdog, WatchdogSec=.)
mkdir -p "$ROOT/etc/systemd/system.conf.d"
printf '[Manager]\nRuntimeWatchdogSec=15s\nRebootWatchdogSec=2min\n' > "$ROOT/etc/systemd/system.conf.d/watchdog.conf"

# The journal: volatile with a read-only root, persistent (bounded) otherwise.
mkdir -p "$ROOT/etc/systemd/journald.conf.d"
printf '[Journal]\nSystemMaxUse=64M\nRuntimeMaxUse=32M\n' > "$ROOT/etc/systemd/journald.conf.d/size.conf"

# Read-only root: overlayroot keeps / in a tmpfs overlay (recurse=0: the boot and data
# partitions stay writable); kernel argument overlayroot=disabled turns it off for one boot.
if [ "$READ_ONLY" = yes ]; then overlay="tmpfs:recurse=0"; else overlay=""; fi
sed -i "s/^overlayroot=.*/overlayroot=\"$overlay\"/" "$ROOT/etc/overlayroot.conf"
grep -q "^overlayroot=\"$overlay\"" "$ROOT/etc/overlayroot.conf"

# config.txt and cmdline.txt on the boot partition: raspi-firmware writes them from
# /etc/default/raspi-firmware (root by label, serial console) and raspi-firmware-custom (I2C)
# each time a kernel or initrd changes; here once more, without rebuilding the initrd.
sed -i -e 's/^#\?ROOTPART=.*/ROOTPART=LABEL=TDROOT/' -e 's/^#\?CONSOLES=.*/CONSOLES="ttyS1,115200 tty0"/' \
    "$ROOT/etc/default/raspi-firmware"
grep -q '^ROOTPART=LABEL=TDROOT' "$ROOT/etc/default/raspi-firmware" || echo 'ROOTPART=LABEL=TDROOT' >> "$ROOT/etc/default/raspi-firmware"
cp "$(dirname "$0")/../board/raspi-firmware-custom" "$ROOT/etc/default/raspi-firmware-custom"
# (The hook only acts when called as dpkg would, with DEB_MAINT_PARAMS=configure.)
for kver in $(ls "$ROOT/lib/modules"); do
    in_root env DEB_MAINT_PARAMS=configure /etc/kernel/postinst.d/z50-raspi-firmware "$kver" "/boot/vmlinuz-$kver"
done
grep -q '^dtparam=i2c_arm=on' "$ROOT/boot/firmware/config.txt" || { echo "config.txt lacks raspi-firmware-custom" >&2; exit 1; }
grep -q 'root=LABEL=TDROOT' "$ROOT/boot/firmware/cmdline.txt" || { echo "cmdline.txt: no root=LABEL=TDROOT" >&2; exit 1; }
in_root apt-get clean
rm -rf "$ROOT"/var/lib/apt/lists/* "$ROOT"/tmp/*
