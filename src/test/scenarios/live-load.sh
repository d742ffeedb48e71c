#!/usr/bin/env bash
# live-load.sh OUTDIR COUNT -- CMD [ARGS...]
# live-load.sh --check          (only checks the prerequisites: exit 0 when all are there)
#
# The live service under a SYN flood: builds the appliance topology (topology.sh), runs CMD
# (the tapdoctor service, a JVM) in the tap namespace, then sends COUNT TCP SYNs with hping3
# from the client namespace through the tap toward srv2 (198.51.100.20:443). The spoofed
# sources are documentation addresses (203.0.113.1-253, -a, one bounded batch per source; the
# source port increments per packet, so every SYN is a new connection attempt); they exist only
# inside the namespaces and are never answered (the router has no route back to 203.0.113.0/24).
# During the flood one real refused connection (client to 198.51.100.10:82) and one real
# unanswered one (client to 198.51.100.20:81, silently dropped by the router's nft rule) run.
# The JVM's heap (jcmd GC.heap_info, jstat -gc) and RSS (/proc/PID/status) are sampled before
# and after the flood, RSS every second during it. Then CMD is stopped with SIGTERM (it must
# exit 0 or 143).
#
# Outputs in OUTDIR: live.out (CMD's stdout), live.log (its stderr), live.rc, steps.log,
# mem-before.txt, mem-after.txt, rss.tsv, hping.log and figures.txt (key=value: packets_sent,
# flood_seconds, rss_before_kb, rss_after_kb, rss_peak_kb, heap_used_before_kb,
# heap_used_after_kb, rss_start_kb (before the warm-up), ...). Bounded: every hping3 runs under timeout, the flood stops at its
# deadline (FLOOD_SECONDS, default 240) whatever COUNT says. Needs hping3 and the JDK's jcmd and
# jstat besides make-scenarios.sh's tools.
set -Eeuo pipefail

usage() { echo "usage: $0 OUTDIR COUNT -- CMD [ARGS...] | --check" >&2; exit 2; }
if [ "${1:-}" = "--check" ]; then
    OUTDIR=--check
else
    [ $# -ge 4 ] && [ "$3" = "--" ] && [[ $2 =~ ^[0-9]+$ ]] || usage
    OUTDIR=$1
    COUNT=$2
    shift 3
    LIVE=("$@")
fi
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TD_NAME=live-load
TD_EXTRA_TOOLS="hping3:hping3 jcmd:openjdk-17-jdk-headless jstat:openjdk-17-jdk-headless timeout:coreutils"
# shellcheck source=topology.sh
. "$HERE/topology.sh"

check_prereqs
if [ "$OUTDIR" = "--check" ]; then
    echo "$TD_NAME: all prerequisites present" >&2
    exit 0
fi
FLOOD_SECONDS=${FLOOD_SECONDS:-240}   # the flood's deadline
PARALLEL=${PARALLEL:-4}               # hping3 processes at a time
BATCH=${BATCH:-20000}                 # SYNs per hping3 (one source address each)
PY=$(python3 -c 'import sys; print(sys.executable)')
mkdir -p "$OUTDIR"
OUTDIR=$(cd "$OUTDIR" && pwd)
WORK=$(mktemp -d /tmp/tapdoctor-live-load.XXXXXX)
STEPS="$OUTDIR/steps.log"
FIG="$OUTDIR/figures.txt"
: >"$STEPS"; : >"$FIG"; : >"$OUTDIR/hping.log"
step() { log "$*"; printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)" "$*" >>"$STEPS"; }
figure() { echo "$1=$2" >>"$FIG"; log "figure $1=$2"; }

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

# mem_sample NAME: after a full GC, the JVM's heap (jcmd, jstat) and RSS into OUTDIR/mem-NAME.txt
mem_sample() {
    local f="$OUTDIR/mem-$1.txt" used
    {
        echo "# $(date -u +%FT%TZ) $1"
        timeout 30 jcmd "$LIVE_PID" GC.run || echo "(jcmd GC.run failed)"
        timeout 30 jcmd "$LIVE_PID" GC.heap_info || echo "(jcmd GC.heap_info failed)"
        timeout 30 jstat -gc "$LIVE_PID" || echo "(jstat failed)"
        grep -E '^(VmRSS|VmHWM|VmSize|Threads):' "/proc/$LIVE_PID/status"
    } >"$f" 2>&1
    # G1: " garbage-first heap   total 262144K, used 12345K [..."; Serial: " def new generation
    # total ..K, used ..K" and " tenured generation total ..K, used ..K": the sum of the lines
    used=$(sed -nE 's/.* total [0-9]+K, used ([0-9]+)K.*/\1/p' "$f" | awk '{ s += $1 } END { if (NR) print s }')
    figure "heap_used_$1_kb" "${used:-unknown}"
    figure "rss_$1_kb" "$(rss_kb "$LIVE_PID")"
}

log "building topology (namespaces ${P}*)"
build_topology
start_services
live_start "$OUTDIR" "${LIVE[@]}"
# warm up: the path works; then a short flood (WARMUP SYNs, default COUNT/20 up to 100000) so
# that the JIT has compiled the hot path and the heap has sized itself: the before sample is
# the steady state, and growth after it is what the flood itself costs (a leak would show)
cli 198.51.100.10 80 --expect ok --count 20
figure rss_start_kb "$(rss_kb "$LIVE_PID")"
WARMUP=${WARMUP:-$(( COUNT / 20 < 100000 ? COUNT / 20 : 100000 ))}
if [ "$WARMUP" -gt 0 ]; then
    step "warm-up: $WARMUP SYNs toward 198.51.100.20:443 from 203.0.113.254"
    nsx client timeout 120 hping3 -q -S -p 443 -a 203.0.113.254 -i u1 -c "$WARMUP" 198.51.100.20 \
        >>"$OUTDIR/hping.log" 2>&1 || true
fi
sleep 5
mem_sample before

# ------------------------------------------------------------------ the flood
# flood_worker K: sources 203.0.113.(K+1), (K+1+PARALLEL), ... one bounded batch each, until
# the worker's share of COUNT is sent or the deadline has passed. Writes the sent count.
flood_worker() {
    local k=$1 share=$2 deadline=$3 sent=0 a=$(( $1 + 1 )) n out got
    while [ "$sent" -lt "$share" ] && [ "$(date +%s)" -lt "$deadline" ]; do
        n=$(( share - sent < BATCH ? share - sent : BATCH ))
        out=$(nsx client timeout 120 hping3 -q -S -p 443 -a "203.0.113.$a" -i u1 -c "$n" \
                198.51.100.20 2>&1 || true)
        got=$(sed -nE 's/^([0-9]+) packets transmitted.*/\1/p' <<<"$out" | tail -1)
        [ -n "$got" ] || { echo "worker $k 203.0.113.$a: $out" >>"$OUTDIR/hping.log"; got=0; }
        sent=$(( sent + got ))
        a=$(( a + PARALLEL )); [ "$a" -le 253 ] || a=$(( k + 1 ))
        [ "$got" -gt 0 ] || sleep 0.5
    done
    echo "$sent" >"$WORK/sent.$k"
}

step "flood: $COUNT SYNs toward 198.51.100.20:443 ($PARALLEL x hping3, batches of $BATCH, deadline ${FLOOD_SECONDS}s)"
F0=${EPOCHREALTIME/./}
DEADLINE=$(( $(date +%s) + FLOOD_SECONDS ))
WORKERS=()
for k in $(seq 0 $(( PARALLEL - 1 ))); do
    share=$(( COUNT / PARALLEL + (k < COUNT % PARALLEL ? 1 : 0) ))
    flood_worker "$k" "$share" "$DEADLINE" &
    WORKERS+=($!); PIDS+=($!)
done

# the real connections, a few seconds into the flood
sleep 3
step "during the flood: refused connection to 198.51.100.10:82 and unanswered one to 198.51.100.20:81"
nsx client timeout 30 "$PY" "$HERE/tcpcli.py" 198.51.100.10 82 --expect refused >"$WORK/cli82.log" 2>&1 &
C82=$!; PIDS+=($C82)
nsx client timeout 30 "$PY" "$HERE/tcpcli.py" 198.51.100.20 81 --expect timeout >"$WORK/cli81.log" 2>&1 &
C81=$!; PIDS+=($C81)

# RSS every second while the flood runs (bounded by the deadline)
PEAK=0
printf 'seconds\trss_kb\n' >"$OUTDIR/rss.tsv"
while [ "$(date +%s)" -le $(( DEADLINE + 5 )) ]; do
    alive=0
    for w in "${WORKERS[@]}"; do kill -0 "$w" 2>/dev/null && alive=1; done
    r=$(rss_kb "$LIVE_PID"); [ "$r" -gt "$PEAK" ] && PEAK=$r
    printf '%s\t%s\n' "$(elapsed)" "$r" >>"$OUTDIR/rss.tsv"
    [ $alive = 1 ] || break
    sleep 1
done
for w in "${WORKERS[@]}"; do wait "$w" || true; forget_pid "$w"; done
F1=${EPOCHREALTIME/./}
SENT=0
for k in $(seq 0 $(( PARALLEL - 1 ))); do SENT=$(( SENT + $(cat "$WORK/sent.$k" 2>/dev/null || echo 0) )); done
step "flood done: $SENT SYNs sent"
rc82=0; wait "$C82" || rc82=$?; forget_pid "$C82"
rc81=0; wait "$C81" || rc81=$?; forget_pid "$C81"
cat "$WORK/cli82.log" "$WORK/cli81.log" >>"$STEPS"
figure packets_sent "$SENT"
figure flood_seconds "$(awk -v us=$(( F1 - F0 )) 'BEGIN { printf "%.1f", us / 1e6 }')"
figure rss_peak_kb "$PEAK"
figure cli82_rc "$rc82"
figure cli81_rc "$rc81"

# the last flood SYNs time out (3 s), the report interval (1 s), then the after sample
sleep 6
mem_sample after
step "stopping the service"
live_stop "$OUTDIR"
figure final_stats "$(grep -o 'final stats.*' "$OUTDIR/live.log" | tail -1)"
[ "$SENT" -ge "$COUNT" ] || die "only $SENT of $COUNT SYNs sent before the ${FLOOD_SECONDS}s deadline"
[ "$rc82" = 0 ] || die "the refused connection during the flood did not behave: $(cat "$WORK/cli82.log")"
[ "$rc81" = 0 ] || die "the unanswered connection during the flood did not behave: $(cat "$WORK/cli81.log")"
log "done: figures in $FIG"
