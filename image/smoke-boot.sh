#!/usr/bin/env bash
# smoke-boot.sh [OUT] - boots what build-image.sh made under qemu-system-aarch64 -M virt (the
# image's own Debian kernel and initrd, two virtio NICs, no network outside the VM) and reads the
# serial console until tapdoctor.service is "active (running)" and PID 1 logged its READY=1.
#
# It boots a copy of the SD image itself (tapdoctor-pi4.img as one virtio disk: the guest finds
# its partitions by label), with the kernel and initrd given to qemu (the Pi's firmware does that
# on the board). The Pi's NICs are named by their device-tree path; the virtio NICs are named tapA and tapB by
# MAC address instead, with systemd-network-generator's `ifname=` kernel argument (enabled in the
# image for that purpose: any hardware can name its ports the same way). A copy of the root file
# system gets one extra unit (written with debugfs, nothing mounted, and the partition written
# back into the copy with dd) that prints the service's status and its notifications on the
# console and powers the VM off. Exit 0 when both are seen.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-build-image}
TIMEOUT=${SMOKE_TIMEOUT:-900}
kernel=$(ls "$OUT"/rootfs/boot/vmlinuz-* | tail -1)
initrd=$(ls "$OUT"/rootfs/boot/initrd.img-* | tail -1)
work=$OUT/smoke
rm -rf "$work"; mkdir -p "$work"
cp --sparse=always "$OUT/root.ext4" "$work/root.ext4"
cp --sparse=always "$OUT/tapdoctor-pi4.img" "$work/disk.img"

cat > "$work/tapdoctor-smoke.service" <<'UNIT'
[Unit]
Description=tapdoctor smoke check (qemu only)
After=tapdoctor.service

[Service]
Type=oneshot
StandardOutput=journal+console
ExecStart=/bin/sh -c 'for i in $(seq 300); do systemctl is-active -q tapdoctor.service && break; sleep 1; done; sleep 5; echo "SMOKE $(systemctl show -p ExecMainStartTimestampMonotonic -p ActiveEnterTimestampMonotonic tapdoctor.service | tr "\\n" " ")"; systemctl status --no-pager --lines=15 tapdoctor.service | sed "s/^/SMOKE /"; journalctl -b --no-pager -o short-monotonic _PID=1 | grep "tapdoctor.service: Got notification message" | head -3 | sed "s/^/SMOKE /"; ip -br link | sed "s/^/SMOKE /"; echo "SMOKE br0 stp_state=$(cat /sys/class/net/br0/bridge/stp_state) group_fwd_mask=$(cat /sys/class/net/br0/bridge/group_fwd_mask) learning tapA=$(cat /sys/class/net/tapA/brport/learning) tapB=$(cat /sys/class/net/tapB/brport/learning) addresses=[$(ip -o addr show dev br0; ip -o addr show dev tapA; ip -o addr show dev tapB)]"; echo "SMOKE offloads: $(systemctl is-active tapdoctor-offloads@tapA.service tapdoctor-offloads@tapB.service | tr "\\n" " ") $(ethtool -k tapA | grep -E "^(generic-receive|generic-segmentation|tcp-segmentation)-offload" | tr "\\n" " ")"; echo "SMOKE root: $(findmnt -n -o FSTYPE,SOURCE,OPTIONS / | cut -c1-80) data: $(findmnt -n -o FSTYPE,SOURCE /var/lib/tapdoctor)"; echo "SMOKE failed units: [$(systemctl --failed --no-legend --plain | tr "\\n" " ")]"; echo SMOKE-DONE; systemctl poweroff'
UNIT
debugfs -w "$work/root.ext4" -f - >/dev/null <<DEBUGFS
write $work/tapdoctor-smoke.service /etc/systemd/system/tapdoctor-smoke.service
symlink /etc/systemd/system/multi-user.target.wants/tapdoctor-smoke.service /etc/systemd/system/tapdoctor-smoke.service
DEBUGFS
root_start=$(sfdisk --dump "$work/disk.img" | sed -n 's/.*img2 : start= *\([0-9]*\),.*/\1/p')
[ -n "$root_start" ] || { echo "no partition 2 in $work/disk.img" >&2; exit 1; }
dd if="$work/root.ext4" of="$work/disk.img" bs=512 seek="$root_start" conv=notrunc,sparse status=none
rm "$work/root.ext4"

start=$(date +%s)
timeout "$TIMEOUT" qemu-system-aarch64 -M virt -cpu cortex-a72 -smp 2 -m 1024 -nographic -no-reboot \
    -kernel "$kernel" -initrd "$initrd" \
    -append "root=LABEL=TDROOT rootwait console=ttyAMA0 quiet systemd.log_level=debug net.ifnames=0 ifname=tapA:52:54:00:00:00:0a ifname=tapB:52:54:00:00:00:0b" \
    -drive if=none,file="$work/disk.img",format=raw,id=sd -device virtio-blk-pci,drive=sd \
    -netdev user,id=n0,restrict=on -device virtio-net-pci,netdev=n0,mac=52:54:00:00:00:0a \
    -netdev user,id=n1,restrict=on -device virtio-net-pci,netdev=n1,mac=52:54:00:00:00:0b \
    < /dev/null > "$work/console.log" 2>&1 || true
echo "boot and smoke check: $(( $(date +%s) - start )) s (serial console: $work/console.log)"
grep -a 'SMOKE' "$work/console.log" | grep -av 'WATCHDOG=1\|About to execute' | sed 's/.*SMOKE/SMOKE/' || true
grep -aq 'SMOKE .*Active: active (running)' "$work/console.log" || { echo "tapdoctor.service not active (running)"; exit 1; }
grep -aq 'SMOKE .*READY=1' "$work/console.log" || { echo "no READY=1 from tapdoctor.service"; exit 1; }
times=$(grep -a 'SMOKE ExecMainStartTimestampMonotonic' "$work/console.log" | tr -d '\r' | sed 's/.*ExecMainStartTimestampMonotonic=\([0-9]*\) ActiveEnterTimestampMonotonic=\([0-9]*\).*/\1 \2/')
if [ -n "$times" ]; then
    set -- $times
    echo "tapdoctor.service: started $(( $1 / 1000000 )) s after the kernel, READY=1 $(( ($2 - $1) / 1000000 )) s later"
fi
echo "smoke ok: tapdoctor.service active (running), READY=1 sent"
