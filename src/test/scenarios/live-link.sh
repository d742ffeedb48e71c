#!/usr/bin/env bash
# live-link.sh OUTDIR -- CMD [ARGS...]
# live-link.sh --check          (only checks the prerequisites: exit 0 when all are there)
#
# The live service's own links: builds the appliance topology (topology.sh), runs CMD (the
# tapdoctor service) in the tap namespace, then
#   1. takes tapB down (ip link set tapB down), waits, brings it up again;
#   2. deletes tapB's veth pair and re-creates it (same names and MACs, re-attached to br0 and
#      to the switch's bridge), as a USB adapter unplugged and plugged back in;
#   3. after the re-creation: a few healthy connections and one refused one (client to
#      198.51.100.10:82), whose RST comes in by the re-created tapB;
# and stops CMD with SIGTERM (it must exit 0 or 143). CMD's stdout goes to OUTDIR/live.out,
# its stderr to OUTDIR/live.log, its exit status to OUTDIR/live.rc, the timeline of the
# steps to OUTDIR/steps.log. Uses documentation addresses only; namespaces tds<pid>-* are
# always deleted on exit.
set -Eeuo pipefail

usage() { echo "usage: $0 OUTDIR -- CMD [ARGS...] | --check" >&2; exit 2; }
if [ "${1:-}" = "--check" ]; then
    OUTDIR=--check
else
    [ $# -ge 3 ] && [ "$2" = "--" ] || usage
    OUTDIR=$1
    shift 2
    LIVE=("$@")
fi
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TD_NAME=live-link
# shellcheck source=topology.sh
. "$HERE/topology.sh"

check_prereqs
if [ "$OUTDIR" = "--check" ]; then
    echo "$TD_NAME: all prerequisites present" >&2
    exit 0
fi
PY=$(python3 -c 'import sys; print(sys.executable)')
mkdir -p "$OUTDIR"
OUTDIR=$(cd "$OUTDIR" && pwd)
WORK=$(mktemp -d /tmp/tapdoctor-live-link.XXXXXX)
STEPS="$OUTDIR/steps.log"
: >"$STEPS"
step() { log "$*"; printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)" "$*" >>"$STEPS"; }

log "building topology (namespaces ${P}*)"
build_topology
start_services
live_start "$OUTDIR" "${LIVE[@]}"
OUT="$OUTDIR/live.out"
LOGF="$OUTDIR/live.log"
cli 198.51.100.10 80 --expect ok --count 3

step "1. tapB down"
nsx tap ip link set tapB down
wait_for_count "$OUT" '"kind":"link_down".*"nic":"tapB"|link_down.*tapB' 1 10
sleep 2
step "1. tapB up"
nsx tap ip link set tapB up
wait_for_count "$OUT" '"kind":"link_up".*"nic":"tapB"|link_up.*tapB' 1 10
# the capture on tapB is reopened (backoff from 1 s) if taking the link down broke it
sleep 3
cli 198.51.100.10 80 --expect ok --count 3

OPENS=$(grep -c 'capturing on tapB' "$LOGF" || true)
step "2. tapB deleted"
nsx tap ip link del tapB
wait_for_count "$OUT" '"kind":"link_down".*"nic":"tapB"|link_down.*tapB' 2 10
sleep 3
step "2. tapB re-created"
tapB_create
wait_for_count "$OUT" '"kind":"link_up".*"nic":"tapB"|link_up.*tapB' 2 10
# the deleted NIC broke the capture: it reopens with backoff (1 s doubling to 30 s)
wait_for_count "$LOGF" 'capturing on tapB' $((OPENS + 1)) 40
sleep 0.5

step "3. connections after the re-creation"
cli 198.51.100.10 80 --expect ok --count 5
step "3. refused connection to 198.51.100.10:82"
cli 198.51.100.10 82 --expect refused
cli 198.51.100.20 80 --expect ok --count 2
# the engine's hold-back (0.2 s) and report interval (1 s)
sleep 3
step "stopping the service"
live_stop "$OUTDIR"
log "done: service output in $OUT, log in $LOGF, steps in $STEPS"
