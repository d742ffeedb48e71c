#!/usr/bin/env bash
# flood-bench.sh OUTDIR [JAR...]   (a benchmark, not a test; as root; JAR default target/tapdoctor.jar)
#
# Issue 12's proof, in one run, on the appliance topology (src/test/scenarios/topology.sh: client,
# tap bridge br0 over tapA | tapB, switch, router, servers; namespaces tds<pid>-*, always deleted;
# every process started here is stopped by its PID):
#
#  1. Top rate. hping3 --flood --rand-source (SYNs toward 198.51.100.20:443, FLOOD_SECONDS, 10-20,
#     default 15) from the client namespace through the tap, twice:
#     a. tcpdump on the client-side NIC: tcpdump -i tapA -Q in -s 640 -B <capture.buffer in KiB> (the
#        service's snaplen and default kernel buffer, read from board/tapdoctor.conf) with a SYN/RST/FIN filter, -w /dev/null: captured / dropped;
#     b. `tapdoctor run` under the appliance unit's JVM options (read from
#        systemd/tapdoctor.service, less its -Djna.tmpdir), its stdout stamped on arrival
#        (stamp-lines.py, as live-latency.sh). At rest, then during the flood, one refused
#        connection to a new port of 198.51.100.10 every 1.2 s (each a new problem: the latency
#        samples); 3 s into the flood a real refused connection (198.51.100.10:82) and a real
#        unanswered one (198.51.100.20:81, dropped by the router). RSS of the JVM every second,
#        at the flood's middle and end; the service's final stats (frames delivered, drops) and
#        the capture and engine threads' allocation (logged at shutdown).
#     The bridge's rate is tapA's rx_packets over the flood (what entered the tap from the client).
#     With several JARs, TOP_ROUNDS rounds (default 1) of b., the jars' order reversed every
#     other round (ABBA), each run its own service-N.
#  2. Pinned (a Pi-class budget): the flood on core 0 (taskset -c 0), the capture on core 1
#     (taskset -c 1), STEPS rates (default "u100 u20 flood r150000 r250000 r350000 rtop": hping3 -i uM,
#     K x hping3 -i uM written KxuM, the flood, or tcpreplay of random-source SYNs at N pps
#     (rN) or as fast as it sends (rtop): hping3 tops out near 90 kpps on one core here, below
#     the captures' ceiling, and tcpreplay sends several times that from a file;
#     STEP_SECONDS each, default 8), first for tcpdump (one process over all steps,
#     its counters read with SIGUSR1 after each), then for the service (one JVM over all steps,
#     --format text --stats-interval 1s, tapA's frames and drops from the stats lines). Prints
#     each step, with the CPU time per frame captured (/proc: tcpdump's process; the JVM, its
#     capture thread and its engine thread), and the highest bridge rate each followed with zero drops.
#
# Writes OUTDIR/summary.md (also printed) and each phase's files. The flood's sources are random
# (--rand-source, as the issue measured): they exist only inside the namespaces, the router has no
# route back to them, nothing leaves the machine. Every load loop is bounded in count and time.
set -Eeuo pipefail
[ $# -ge 1 ] || { echo "usage: $0 OUTDIR [JAR...]" >&2; exit 2; }
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=$(mkdir -p "$1" && cd "$1" && pwd)
shift
[ $# -gt 0 ] || set -- "$ROOT/target/tapdoctor.jar"
JARS=()
for j in "$@"; do
    [ -r "$j" ] || { echo "flood-bench: no $j (mvn -q -o package -DskipTests first)" >&2; exit 1; }
    JARS+=("$(cd "$(dirname "$j")" && pwd)/$(basename "$j")")
done
JAR=${JARS[-1]}   # phases 1c and 2: the last
HERE="$ROOT/src/test/scenarios"
TD_NAME=flood-bench
TD_EXTRA_TOOLS="hping3:hping3 tcpreplay:tcpreplay timeout:coreutils taskset:util-linux"
# shellcheck source=../test/scenarios/topology.sh
. "$HERE/topology.sh"
check_prereqs
FLOOD_SECONDS=${FLOOD_SECONDS:-15}
[ "$FLOOD_SECONDS" -ge 10 ] && [ "$FLOOD_SECONDS" -le 20 ] || die "FLOOD_SECONDS must be 10-20"
STEPS=${STEPS:-"u100 u20 flood r150000 r250000 r350000 rtop"}
STEP_SECONDS=${STEP_SECONDS:-8}
[ "$STEP_SECONDS" -ge 3 ] && [ "$STEP_SECONDS" -le 20 ] || die "STEP_SECONDS must be 3-20"
[ "$(wc -w <<<"$STEPS")" -le 10 ] || die "at most 10 STEPS"
REST_SAMPLES=${REST_SAMPLES:-8}
PY=$(python3 -c 'import sys; print(sys.executable)')
WORK=$(mktemp -d /tmp/tapdoctor-flood-bench.XXXXXX)
SNAPLEN=640
# tcpdump -B, KiB: the service's default capture.buffer, from the board file (ConfigTest holds it to the defaults)
BUFFER=$(sed -nE 's/^#?capture\.buffer = ([0-9]+)$/\1/p' "$ROOT/board/tapdoctor.conf")
[ -n "$BUFFER" ] || die "no capture.buffer in board/tapdoctor.conf"
BUFFER_KB=$(( BUFFER / 1024 ))
TCPD_FILTER='tcp[tcpflags] & (tcp-syn|tcp-rst|tcp-fin) != 0'
UNIT_OPTS=$(sed -nE 's/^Environment=TAPDOCTOR_JAVA_OPTS="(.*)"$/\1/p' "$ROOT/systemd/tapdoctor.service")
OPTS=()
for o in $UNIT_OPTS; do [[ $o == -Djna.tmpdir=* ]] || OPTS+=("$o"); done
[ ${#OPTS[@]} -gt 0 ] || die "no TAPDOCTOR_JAVA_OPTS in systemd/tapdoctor.service"
SERVICE_ARGS=(run --interfaces tapA,tapB --client-side tapA --panel none
              --set diagnose.max-ports-per-host=1000)
# SERVICE_SET="KEY=VALUE ...": configuration the service runs with besides (e.g. capture.buffer=...)
for kv in ${SERVICE_SET:-}; do SERVICE_ARGS+=(--set "$kv"); done
FIG="$OUT/figures.txt"; : >"$FIG"
figure() { echo "$1=$2" >>"$FIG"; log "$1=$2"; }

counter() { nsx tap cat "/sys/class/net/$1/statistics/$2"; }   # counter NIC rx_packets|tx_packets
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
# ticks PID [THREAD]: user + system clock ticks (utime, stime of proc(5)) of a process, or of its
# threads whose name is THREAD; the name is between the first "(" and the last ") "
ticks() {
    local f=/proc/$1/stat
    [ -n "${2:-}" ] && f="/proc/$1/task/*/stat"
    # shellcheck disable=SC2086  # the glob is meant
    awk -v t="${2:-}" '{ c = $0; o = index(c, "("); e = match(c, /\) [A-Z] /); n = substr(c, o + 1, e - o - 1)
        if (t == "" || n == t) { split(substr(c, e + 2), v, " "); s += v[12] + v[13] } } END { print s + 0 }' $f 2>/dev/null || echo 0
}

# hping NAME CPU SECONDS SPEC: SPEC is "flood", "uN", "KxuN" (K hping3 -i uN in parallel): SYNs
# toward 198.51.100.20:443 from random sources; or "rN" / "rtop": tcpreplay of SYN_PCAP at N pps or
# --topspeed (from the client's eth0: 609 kpps on one core of this machine into a bare veth, against
# hping3's ~90 kpps). Each under timeout (-k: hping3 at -i u5 was once deaf to the INT for minutes); in the
# background, its PIDs in HPIDS; hping_wait collects "sent" (what the generators say they sent).
hping() {
    local name=$1 cpu=$2 secs=$3 spec=$4 k=1 iv rate i
    HPIDS=()
    case $spec in
        r*)
            [ "$spec" = rtop ] && rate=(--topspeed) || rate=(--pps="${spec#r}")
            ip netns exec "${P}client" taskset -c "$cpu" timeout -k 3 -s INT $(( secs + 5 )) \
                tcpreplay --no-flow-stats --loop=0 --duration="$secs" -i eth0 "${rate[@]}" "$SYN_PCAP" >"$WORK/$name.1.hping" 2>&1 &
            HPIDS+=($!); PIDS+=($!)
            return 0 ;;
        flood) rate=(--flood) ;;
        *x*) k=${spec%%x*}; iv=${spec#*x}; rate=(-i "$iv") ;;
        *) iv=$spec; rate=(-i "$iv") ;;
    esac
    [ "$k" -ge 1 ] && [ "$k" -le 8 ] || die "bad step $spec"
    for i in $(seq 1 "$k"); do
        ip netns exec "${P}client" taskset -c "$cpu" timeout -k 3 -s INT "$secs" \
            hping3 -q -S -p 443 --rand-source "${rate[@]}" 198.51.100.20 >"$WORK/$name.$i.hping" 2>&1 &
        HPIDS+=($!); PIDS+=($!)
    done
}
hping_wait() {   # NAME: waits for the last hping call's processes (in this shell, not a subshell:
                 # they are its children); HSENT = the SYNs they say they transmitted
    local p f n
    for p in "${HPIDS[@]}"; do wait "$p" || true; forget_pid "$p"; done
    HSENT=0
    for f in "$WORK"/"$1".*.hping; do
        n=$(sed -nE 's/^([0-9]+) packets transmitted.*/\1/p; s/^Actual: ([0-9]+) packets.*/\1/p' "$f" | tail -1)
        HSENT=$(( HSENT + ${n:-0} ))
    done
}
# step_traffic NAME CPU SECONDS SPEC: runs the flood to its end; sets sent, rx (tapA's rx_packets
# over it) and secs
step_traffic() {
    local rx0 rx1 t0 t1
    rx0=$(counter tapA rx_packets); t0=${EPOCHREALTIME/./}
    hping "$@"
    hping_wait "$1"
    t1=${EPOCHREALTIME/./}; rx1=$(counter tapA rx_packets)
    sent=$HSENT; rx=$(( rx1 - rx0 )); secs=$(awk -v us=$(( t1 - t0 )) 'BEGIN { printf "%.2f", us / 1e6 }')
}
tcpdump_counts() {   # FILE: "captured dropped" from tcpdump's last statistics
    local c d
    # at exit one figure a line; on SIGUSR1 all on one line, comma-separated
    c=$(grep -oE '[0-9]+ packets? captured' "$1" | tail -1 | cut -d' ' -f1)
    d=$(grep -oE '[0-9]+ packets? dropped by kernel' "$1" | tail -1 | cut -d' ' -f1)
    echo "${c:-0} ${d:-0}"
}
java_pid() {   # the JVM under stamp-lines.py (its only child)
    local i c
    for i in $(seq 50); do
        c=$(cat "/proc/$1/task/$1/children" 2>/dev/null | awk '{print $1}')
        [ -n "$c" ] && { echo "$c"; return 0; }
        sleep 0.1
    done
    die "no JVM under PID $1"
}

log "building topology (namespaces ${P}*), load average $(loadavg)"
build_topology
start_services
figure load_start "$(loadavg)"
figure jars "${JARS[*]}"
figure java_opts "${OPTS[*]}"
figure step_seconds "$STEP_SECONDS"
figure tcpdump_buffer_kb "$BUFFER_KB"

# ------------------------------------------------------------------ 1a. tcpdump, top rate
log "1a. tcpdump on tapA under hping3 --flood for ${FLOOD_SECONDS}s"
start_bg tap tcpdump-top tcpdump -i tapA -Q in -s "$SNAPLEN" -B "$BUFFER_KB" -n -Z root -w /dev/null "$TCPD_FILTER"
TPID=$LAST_PID
wait_for_line "$WORK/tcpdump-top.log" 'listening on tapA' 10
step_traffic top-tcpdump 0-1 "$FLOOD_SECONDS" flood
sleep 1
stop_pid "$TPID" INT || true; forget_pid "$TPID"
read -r cap drop < <(tcpdump_counts "$WORK/tcpdump-top.log")
cp "$WORK/tcpdump-top.log" "$OUT/tcpdump-top.log"
figure tcpdump_sent "$sent"; figure tcpdump_tapA_rx "$rx"; figure tcpdump_seconds "$secs"
figure tcpdump_captured "$cap"; figure tcpdump_dropped "$drop"
figure tcpdump_load "$(loadavg)"

# ------------------------------------------------------------------ 1b. the service, top rate
# service_top I JAR: the service (JAR) at rest then under the flood; figures s<I>_*, files in service-I
sfig() { figure "s${SI}_$1" "$2"; }
service_top() {
    SI=$1; local jar=$2 s r
    d="$OUT/service-$SI"; mkdir -p "$d"; echo "$jar" >"$d/jar"
    live_start "$d" "$PY" "$ROOT/src/bench/stamp-lines.py" java "${OPTS[@]}" -jar "$jar" "${SERVICE_ARGS[@]}" --format jsonl
    JPID=$(java_pid "$LIVE_PID")
    cli 198.51.100.10 80 --expect ok --count 20
    log "1b. warm-up: 20,000 SYNs at -i u20 (the JIT compiles the path before the measured flood)"
    nsx client timeout 30 hping3 -q -S -p 443 -a 203.0.113.254 -i u20 -c 20000 198.51.100.20 >/dev/null 2>&1 || true
    refused_every 3 1000
    sfig rss_rest_kb "$(rss_kb "$JPID")"
    date +%s%N >"$d/rest.start"; refused_every "$REST_SAMPLES" 2000; date +%s%N >"$d/rest.end"
    log "1b. the service ($jar) under hping3 --flood for ${FLOOD_SECONDS}s"
    printf 'seconds\trss_kb\n' >"$d/rss.tsv"
    rx0=$(counter tapA rx_packets); t0=${EPOCHREALTIME/./}
    hping top-service 0-1 "$FLOOD_SECONDS" flood
    date +%s%N >"$d/flood.start"
    (   sleep 3
        nsx client timeout 30 "$PY" "$HERE/tcpcli.py" 198.51.100.10 82 --expect refused >"$WORK/cli82.log" 2>&1; echo $? >"$WORK/cli82.rc" ) &
    C82=$!; PIDS+=($C82)
    (   sleep 3
        nsx client timeout 30 "$PY" "$HERE/tcpcli.py" 198.51.100.20 81 --expect timeout >"$WORK/cli81.log" 2>&1; echo $? >"$WORK/cli81.rc" ) &
    C81=$!; PIDS+=($C81)
    ( refused_every $(( (FLOOD_SECONDS - 3) * 10 / 12 )) 3000 ) &
    SAMPLER=$!; PIDS+=($SAMPLER)
    MID=$(( FLOOD_SECONDS / 2 ))
    for s in $(seq 1 "$FLOOD_SECONDS"); do
        sleep 1
        r=$(rss_kb "$JPID"); printf '%s\t%s\n' "$s" "$r" >>"$d/rss.tsv"
        [ "$s" = "$MID" ] && sfig rss_mid_kb "$r"
    done
    hping_wait top-service; sent=$HSENT
    t1=${EPOCHREALTIME/./}; rx1=$(counter tapA rx_packets)
    date +%s%N >"$d/flood.end"
    sfig rss_end_kb "$(rss_kb "$JPID")"
    sfig service_load "$(loadavg)"
    sfig service_sent "$sent"; sfig service_tapA_rx "$(( rx1 - rx0 ))"
    sfig service_seconds "$(awk -v us=$(( t1 - t0 )) 'BEGIN { printf "%.2f", us / 1e6 }')"
    for p in "$SAMPLER" "$C82" "$C81"; do wait "$p" || true; forget_pid "$p"; done
    sfig cli82_rc "$(cat "$WORK/cli82.rc" 2>/dev/null || echo ?)"
    sfig cli81_rc "$(cat "$WORK/cli81.rc" 2>/dev/null || echo ?)"
    sleep 6   # the unanswered one's last retransmission times out (~3 s), the report interval
    sfig rss_after_kb "$(rss_kb "$JPID")"
    live_stop "$d"
    grep -o 'final stats.*' "$d/live.log" | tail -1 >"$d/final-stats.txt" || true
}
# TOP_ROUNDS rounds of the jars, their order reversed every other round (ABBA: no jar always runs
# second, at whatever load the machine has by then); each run is its own service-N.
SI=0
for round in $(seq 1 "${TOP_ROUNDS:-1}"); do
    order=("${JARS[@]}")
    if [ $(( round % 2 )) -eq 0 ]; then
        order=(); for (( i=${#JARS[@]}-1; i>=0; i-- )); do order+=("${JARS[$i]}"); done
    fi
    for jar in "${order[@]}"; do service_top $(( SI + 1 )) "$jar"; done
done

# ------------------------------------------------------------------ 1c. allocation during a flood
# The same service and flood, with JFR recording only jdk.ThreadAllocationStatistics every second
# (each thread's allocated bytes so far): the capture and engine threads' allocation rate inside
# the flood's window, start-up and the rest excluded. A separate run: the RSS figures above are
# without JFR.
if [ "${ALLOC:-1}" = 1 ]; then
    d="$OUT/alloc"; mkdir -p "$d"
    cat >"$d/alloc.jfc" <<'JFC'
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0" label="thread allocation">
  <event name="jdk.ThreadAllocationStatistics">
    <setting name="enabled">true</setting>
    <setting name="period">1 s</setting>
  </event>
</configuration>
JFC
    live_start "$d" java "${OPTS[@]}" "-XX:StartFlightRecording=settings=$d/alloc.jfc,filename=$d/alloc.jfr,dumponexit=true" \
        -jar "$JAR" "${SERVICE_ARGS[@]}" --format jsonl
    cli 198.51.100.10 80 --expect ok --count 20
    nsx client timeout 30 hping3 -q -S -p 443 -a 203.0.113.254 -i u20 -c 20000 198.51.100.20 >/dev/null 2>&1 || true
    sleep 10   # the warm-up's SYNs time out (~7 s) and are reported: not rest
    date +%s%N >"$d/rest.start"; sleep 6; date +%s%N >"$d/rest.end"
    log "1c. allocation: the service (JFR on) under hping3 --flood for 10s"
    date +%s%N >"$d/flood.start"
    step_traffic alloc 0-1 10 flood
    date +%s%N >"$d/flood.end"
    figure alloc_sent "$sent"; figure alloc_tapA_rx "$rx"; figure alloc_seconds "$secs"
    sleep 2
    live_stop "$d"
    timeout 60 jfr print --json --events jdk.ThreadAllocationStatistics "$d/alloc.jfr" >"$d/alloc.json" ||
        log "jfr print failed"
fi

# ------------------------------------------------------------------ 2. pinned: steps
# The r steps' file: 1,000,000 SYNs of a random-source flood (gen-capture.py --flood 1.0: sources
# random in 198.18.0.0/15, RFC 2544's benchmarking range, source ports counting up; 5 s at
# 200 kpps, so each tuple is new for the first 5 s of a step at that rate and a retransmission
# after), from the client's MAC to the router's, checksums fixed; made once per run (~12 s).
# tcpreplay ends --topspeed only at the end of a loop (up to ~2 s late): the rate is over the
# measured time. Not preloaded (-K): reading 1M packets into memory takes it longer than a step.
SYN_PCAP=$WORK/syn-flood.pcap
if grep -qE '(^| )r' <<<"$STEPS"; then
    log "2. generating the tcpreplay steps' SYN flood ($SYN_PCAP)"
    "$PY" "$ROOT/src/bench/gen-capture.py" -n 1000000 --spacing-us 5 --flood 1.0 "$WORK/syn-gen.pcap" >/dev/null
    tcprewrite --enet-smac=02:00:00:00:00:10 --enet-dmac=02:00:00:00:00:01 --fixcsum \
        -i "$WORK/syn-gen.pcap" -o "$SYN_PCAP" 2>/dev/null
    rm -f "$WORK/syn-gen.pcap"
fi
log "2. pinned: flood on core 0, capture on core 1, steps: $STEPS (${STEP_SECONDS}s each)"
start_bg tap tcpdump-pinned taskset -c 1 tcpdump -i tapA -Q in -s "$SNAPLEN" -B "$BUFFER_KB" -n -Z root -w /dev/null "$TCPD_FILTER"
TPID=$LAST_PID
wait_for_line "$WORK/tcpdump-pinned.log" 'listening on tapA' 10
pc=0; pd=0; n=0
for st in $STEPS; do
    n=$((n + 1))
    t0=$(ticks "$TPID")
    step_traffic "tcpdump-$n" 0 "$STEP_SECONDS" "$st"
    sleep 2
    kill -USR1 "$TPID"; sleep 0.5
    read -r c dr < <(tcpdump_counts "$WORK/tcpdump-pinned.log")
    cpu="$(( $(ticks "$TPID") - t0 ))\t-\t-"
    printf 'tcpdump\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%b\n' "$st" "$sent" "$rx" "$secs" "$(( c - pc ))" "$(( dr - pd ))" "$(loadavg)" "$cpu" >>"$OUT/pinned.tsv"
    log "pinned tcpdump $st: sent $sent tapA rx $rx in ${secs}s, captured $(( c - pc )) dropped $(( dr - pd ))"
    pc=$c; pd=$dr
done
stop_pid "$TPID" INT || true; forget_pid "$TPID"
cp "$WORK/tcpdump-pinned.log" "$OUT/tcpdump-pinned.log"

d="$OUT/pinned-service"; mkdir -p "$d"
live_start "$d" taskset -c 1 java "${OPTS[@]}" -jar "$JAR" "${SERVICE_ARGS[@]}" --format text --stats-interval 1s
cli 198.51.100.10 80 --expect ok --count 20
nsx client timeout 30 hping3 -q -S -p 443 -a 203.0.113.254 -i u20 -c 20000 198.51.100.20 >/dev/null 2>&1 || true
sleep 2
tapa() {   # frames and drops of tapA in the service's last stats line
    grep -E '^stats ' "$d/live.out" | tail -1 | sed -nE 's/.* tapA [^|]*frames ([0-9]+) drops ([0-9]+) \|.*/\1 \2/p'
}
read -r pf pdr < <(tapa)
n=0
for st in $STEPS; do
    n=$((n + 1))
    # the engine is the JVM's main thread, named "java" as the launcher's first thread (idle) is
    t0=$(ticks "$LIVE_PID"); c0=$(ticks "$LIVE_PID" capture-tapA); e0=$(ticks "$LIVE_PID" java)
    step_traffic "service-$n" 0 "$STEP_SECONDS" "$st"
    sleep 2.5   # the backlog drains; a stats line (every second) after it
    read -r f dr < <(tapa)
    t1=$(ticks "$LIVE_PID"); c1=$(ticks "$LIVE_PID" capture-tapA); e1=$(ticks "$LIVE_PID" java)
    cpu="$(( t1 - t0 ))\t$(( c1 - c0 ))\t$(( e1 - e0 ))"
    printf 'service\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%b\n' "$st" "$sent" "$rx" "$secs" "$(( f - pf ))" "$(( dr - pdr ))" "$(loadavg)" "$cpu" >>"$OUT/pinned.tsv"
    log "pinned service $st: sent $sent tapA rx $rx in ${secs}s, delivered $(( f - pf )) dropped $(( dr - pdr ))"
    pf=$f; pdr=$dr
done
live_stop "$d"
figure load_end "$(loadavg)"

# ------------------------------------------------------------------ the summary
"$PY" - "$OUT" <<'PYEOF' | tee "$OUT/summary.md"
import datetime, json, os, re, sys
out = sys.argv[1]
fig = dict(l.rstrip("\n").split("=", 1) for l in open(os.path.join(out, "figures.txt")) if "=" in l)
def ns(iso):
    d = datetime.datetime.strptime(iso[:19], "%Y-%m-%dT%H:%M:%S")
    frac = iso[20:].rstrip("Z") if "." in iso else "0"
    return int(d.replace(tzinfo=datetime.timezone.utc).timestamp()) * 10**9 + int((frac + "000000000")[:9])
def pct(v, p):
    return v[min(len(v) - 1, int(round(p / 100.0 * (len(v) - 1))))]
def pps(n, s):
    return int(int(n) / float(s)) if float(s) > 0 else 0
print("# flood-bench, %s" % datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M UTC"))
print()
print("JVM options (systemd/tapdoctor.service): `%s`; load average at start %s, end %s" % (fig["java_opts"], fig["load_start"], fig["load_end"]))
print()
print("## 1. hping3 --flood --rand-source, %s s, unpinned" % fig.get("tcpdump_seconds"))
print()
services = sorted(int(n.split("-")[1]) for n in os.listdir(out) if re.match(r"service-\d+$", n))
print("| capture | SYNs sent | tapA rx (bridge) | bridge pps | captured / delivered | dropped | RSS mid -> end KB | load |")
print("|---|---:|---:|---:|---:|---:|---|---|")
print("| tcpdump -Q in -s 640 -B %s, SYN/RST/FIN | %s | %s | %d | %s | %s | | %s |" % (fig["tcpdump_buffer_kb"], fig["tcpdump_sent"], fig["tcpdump_tapA_rx"],
      pps(fig["tcpdump_tapA_rx"], fig["tcpdump_seconds"]), fig["tcpdump_captured"], fig["tcpdump_dropped"], fig["tcpdump_load"]))
details = []
for i in services:
    sd = os.path.join(out, "service-%d" % i)
    f = lambda k, d="0": fig.get("s%d_%s" % (i, k), d)
    jar = open(os.path.join(sd, "jar")).read().strip()
    stats = open(os.path.join(sd, "final-stats.txt")).read()
    m = re.search(r"tapA \S+[^|]*? frames (\d+) drops (\d+)", stats)
    frames, drops = (int(m.group(1)), int(m.group(2))) if m else (0, 0)
    rm, re_ = int(f("rss_mid_kb")), int(f("rss_end_kb"))
    print("| tapdoctor run `%s` (frames and drops: whole run, warm-up included) | %s | %s | %d | %d | %d | %d -> %d (%+.1f %%) | %s |" % (
          jar, f("service_sent"), f("service_tapA_rx"), pps(f("service_tapA_rx"), f("service_seconds", "1")), frames, drops,
          rm, re_, 100.0 * (re_ - rm) / rm if rm else 0, f("service_load")))
    diags = []
    for line in open(os.path.join(sd, "live.out")):
        arrival, _, js = line.partition("\t")
        try:
            diags.append((int(arrival), json.loads(js)))
        except ValueError:
            pass
    def about(o, ip, port):
        t = json.dumps(o.get("server"))
        return ip in t and ('"port": %d' % port) in t
    real82 = [o for _, o in diags if o.get("kind") in ("refused", "port_blocked") and about(o, "198.51.100.10", 82)]
    real81 = [o for _, o in diags if (o.get("kind") in ("no_response", "port_blocked") and about(o, "198.51.100.20", 81))
              or (o.get("kind") == "host_unreachable" and "198.51.100.20" in json.dumps(o.get("server"))
                  and 81 in (o.get("evidence") or {}).get("port_list", []))]
    det = ["### `%s`" % jar, "", "RSS at rest %s KB, 6 s after the flood %s KB" % (f("rss_rest_kb"), f("rss_after_kb")), "",
           "Real diagnoses mid-flood (client exit codes: refused %s, unanswered %s):" % (f("cli82_rc", "?"), f("cli81_rc", "?")),
           "- refused 198.51.100.10:82: %s" % (("found: " + real82[0].get("kind") + ", " + str(real82[0].get("summary", ""))) if real82 else "NOT FOUND"),
           "- unanswered 198.51.100.20:81: %s" % (("found: " + real81[0].get("kind") + ", " + str(real81[0].get("summary", ""))) if real81 else "NOT FOUND"),
           "", "| latency, deciding frame to stdout | samples | p50 ms | p90 ms | p99 ms | max ms |", "|---|---:|---:|---:|---:|---:|"]
    bounds = {p: (int(open(os.path.join(sd, p + ".start")).read()), int(open(os.path.join(sd, p + ".end")).read())) for p in ("rest", "flood")}
    lat = {p: [] for p in bounds}
    for arrival, o in diags:
        if o.get("kind") not in ("refused", "port_blocked") or "198.51.100.10" not in json.dumps(o.get("server")) or o.get("count") != 1:
            continue
        t = ns(o["time"])
        for p, (a, b) in bounds.items():
            if a <= t <= b:
                lat[p].append((arrival - t) / 1e6)
    for p, v in lat.items():
        v.sort()
        det.append("| %s | %d | %s |" % (p, len(v), " | ".join("%.1f" % x for x in (pct(v, 50), pct(v, 90), pct(v, 99), v[-1])) if v else "- | - | - | -"))
    det += ["", "The service's own figures at shutdown:"]
    for l in open(os.path.join(sd, "live.log")):
        m = re.search(r"((?:\S+: \d+ frames since .* allocated -?\d+ bytes|merge: ).*)", l)
        if m:
            det.append("- " + m.group(1))
    details.append("\n".join(det))
print()
print("\n\n".join(details))
print()
aj = os.path.join(out, "alloc", "alloc.json")
if os.path.exists(aj) and os.path.getsize(aj) > 0:
    win = {p: tuple(int(open(os.path.join(out, "alloc", p + x)).read()) for x in (".start", ".end")) for p in ("rest", "flood")}
    ev = json.load(open(aj))["recording"]["events"]
    per = {}
    for e in ev:
        v = e["values"]
        t = ns(v["startTime"])
        name = (v.get("thread") or {}).get("javaName") or "?"
        for p, (a0, a1) in win.items():
            if a0 <= t <= a1:
                per.setdefault((p, name), []).append((t, int(v["allocated"])))
    rxa = int(fig.get("alloc_tapA_rx", 0)) / float(fig.get("alloc_seconds", 1) or 1)
    print("Allocation (JFR jdk.ThreadAllocationStatistics every second; a separate run of the last jar), 6 s at rest (10 s after the warm-up), then a %s s flood at %d frames/s into tapA:" % (fig.get("alloc_seconds"), rxa))
    print()
    print("| thread | rest: bytes/s | flood: bytes/s | flood - rest, per tapA frame |")
    print("|---|---:|---:|---:|")
    for name in ("capture-tapA", "capture-tapB", "main"):
        rates = []
        for p in ("rest", "flood"):
            v = sorted(per.get((p, name), []))
            rates.append((v[-1][1] - v[0][1]) / ((v[-1][0] - v[0][0]) / 1e9) if len(v) >= 2 else None)
        cell = lambda r: "-" if r is None else "%.0f" % r
        extra = "-" if None in rates or not rxa or name == "capture-tapB" else "%.4f" % ((rates[1] - rates[0]) / rxa)
        print("| %s | %s | %s | %s |" % (name + (" (engine)" if name == "main" else ""), cell(rates[0]), cell(rates[1]), extra))
    print()
print("## 2. pinned: flood taskset -c 0, capture taskset -c 1, %s s per step" % fig.get("step_seconds"))
print()
print("| capture | step | SYNs sent | tapA rx | bridge pps | captured / delivered | dropped | CPU ns per frame: process | capture thread | engine thread | load |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
best = {}
hz = os.sysconf("SC_CLK_TCK")
per_frame = lambda t, n: "-" if t == "-" or int(n) == 0 else "%.0f" % (int(t) * 1e9 / hz / int(n))
for l in open(os.path.join(out, "pinned.tsv")):
    who, st, sent, rx, secs, got, dr, load, cpu, cap, eng = l.rstrip("\n").split("\t")
    r = pps(rx, secs)
    print("| %s | %s | %s | %s | %d | %s | %s | %s | %s | %s | %s |" % (who, st, sent, rx, r, got, dr,
          per_frame(cpu, got), per_frame(cap, got), per_frame(eng, got), load))
    if int(dr) == 0 and r > best.get(who, (0, "-"))[0]:
        best[who] = (r, st)
print()
for who in ("tcpdump", "service"):
    r, st = best.get(who, (0, "-"))
    print("Highest zero-drop bridge rate, %s pinned: %d pps (step %s)" % (who, r, st))
PYEOF
