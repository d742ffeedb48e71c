#!/usr/bin/env bash
# flood-bench.sh OUTDIR [JAR]      (a benchmark, not a test; as root; JAR default target/tapdoctor.jar)
#
# Issue 12's proof, in one run, on the appliance topology (src/test/scenarios/topology.sh: client,
# tap bridge br0 over tapA | tapB, switch, router, servers; namespaces tds<pid>-*, always deleted;
# every process started here is stopped by its PID):
#
#  1. Top rate. hping3 --flood --rand-source (SYNs toward 198.51.100.20:443, FLOOD_SECONDS, 10-20,
#     default 15) from the client namespace through the tap, twice:
#     a. tcpdump on the client-side NIC: tcpdump -i tapA -Q in -s 640 -B 8192 (the service's
#        snaplen and kernel buffer) with a SYN/RST/FIN filter, -w /dev/null: captured / dropped;
#     b. `tapdoctor run` under the appliance unit's JVM options (read from
#        systemd/tapdoctor.service, less its -Djna.tmpdir), its stdout stamped on arrival
#        (stamp-lines.py, as live-latency.sh). At rest, then during the flood, one refused
#        connection to a new port of 198.51.100.10 every 1.2 s (each a new problem: the latency
#        samples); 3 s into the flood a real refused connection (198.51.100.10:82) and a real
#        unanswered one (198.51.100.20:81, dropped by the router). RSS of the JVM every second,
#        at the flood's middle and end; the service's final stats (frames delivered, drops) and
#        the capture and engine threads' allocation (logged at shutdown).
#     The bridge's rate is tapA's rx_packets over the flood (what entered the tap from the client).
#  2. Pinned (a Pi-class budget): the flood on core 0 (taskset -c 0), the capture on core 1
#     (taskset -c 1), STEPS rates (default "u100 u20 u5 u1 2xu1 4xu1 flood": N x hping3 -i uM or
#     the flood, STEP_SECONDS each, default 8), first for tcpdump (one process over all steps,
#     its counters read with SIGUSR1 after each), then for the service (one JVM over all steps,
#     --format text --stats-interval 1s, tapA's frames and drops from the stats lines). Prints
#     each step and the highest bridge rate each followed with zero drops.
#
# Writes OUTDIR/summary.md (also printed) and each phase's files. The flood's sources are random
# (--rand-source, as the issue measured): they exist only inside the namespaces, the router has no
# route back to them, nothing leaves the machine. Every load loop is bounded in count and time.
set -Eeuo pipefail
[ $# -ge 1 ] || { echo "usage: $0 OUTDIR [JAR]" >&2; exit 2; }
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=$(mkdir -p "$1" && cd "$1" && pwd)
JAR=$(cd "$(dirname "${2:-$ROOT/target/tapdoctor.jar}")" && pwd)/$(basename "${2:-$ROOT/target/tapdoctor.jar}")
[ -r "$JAR" ] || { echo "flood-bench: no $JAR (mvn -q -o package -DskipTests first)" >&2; exit 1; }
HERE="$ROOT/src/test/scenarios"
TD_NAME=flood-bench
TD_EXTRA_TOOLS="hping3:hping3 timeout:coreutils taskset:util-linux"
# shellcheck source=../test/scenarios/topology.sh
. "$HERE/topology.sh"
check_prereqs
FLOOD_SECONDS=${FLOOD_SECONDS:-15}
[ "$FLOOD_SECONDS" -ge 10 ] && [ "$FLOOD_SECONDS" -le 20 ] || die "FLOOD_SECONDS must be 10-20"
STEPS=${STEPS:-"u100 u20 u5 u1 2xu1 4xu1 flood"}
STEP_SECONDS=${STEP_SECONDS:-8}
[ "$STEP_SECONDS" -ge 3 ] && [ "$STEP_SECONDS" -le 20 ] || die "STEP_SECONDS must be 3-20"
[ "$(wc -w <<<"$STEPS")" -le 10 ] || die "at most 10 STEPS"
REST_SAMPLES=${REST_SAMPLES:-8}
PY=$(python3 -c 'import sys; print(sys.executable)')
WORK=$(mktemp -d /tmp/tapdoctor-flood-bench.XXXXXX)
SNAPLEN=640
TCPD_FILTER='tcp[tcpflags] & (tcp-syn|tcp-rst|tcp-fin) != 0'
UNIT_OPTS=$(sed -nE 's/^Environment=TAPDOCTOR_JAVA_OPTS="(.*)"$/\1/p' "$ROOT/systemd/tapdoctor.service")
OPTS=()
for o in $UNIT_OPTS; do [[ $o == -Djna.tmpdir=* ]] || OPTS+=("$o"); done
[ ${#OPTS[@]} -gt 0 ] || die "no TAPDOCTOR_JAVA_OPTS in systemd/tapdoctor.service"
SERVICE_ARGS=(-jar "$JAR" run --interfaces tapA,tapB --client-side tapA --panel none
              --set diagnose.max-ports-per-host=1000)
FIG="$OUT/figures.txt"; : >"$FIG"
figure() { echo "$1=$2" >>"$FIG"; log "$1=$2"; }

counter() { nsx tap cat "/sys/class/net/$1/statistics/$2"; }   # counter NIC rx_packets|tx_packets
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# hping NAME CPU SECONDS SPEC: SPEC is "flood", "uN" or "KxuN" (K hping3 -i uN in parallel);
# SYNs toward 198.51.100.20:443 from random sources, each hping3 under timeout; in the background,
# its PIDs in HPIDS; hping_wait collects "sent" (what hping3 says it transmitted).
hping() {
    local name=$1 cpu=$2 secs=$3 spec=$4 k=1 iv rate i
    case $spec in
        flood) rate=(--flood) ;;
        *x*) k=${spec%%x*}; iv=${spec#*x}; rate=(-i "$iv") ;;
        *) iv=$spec; rate=(-i "$iv") ;;
    esac
    [ "$k" -ge 1 ] && [ "$k" -le 8 ] || die "bad step $spec"
    HPIDS=()
    for i in $(seq 1 "$k"); do
        ip netns exec "${P}client" taskset -c "$cpu" timeout -s INT "$secs" \
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
        n=$(sed -nE 's/^([0-9]+) packets transmitted.*/\1/p' "$f" | tail -1)
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
refused_every() { # N BASE: N refused connections to ports BASE+1.., 1.2 s apart (each a new problem)
    local i
    for i in $(seq 1 "$1"); do
        nsx client timeout 10 "$PY" "$HERE/tcpcli.py" 198.51.100.10 $(( $2 + i )) --expect refused >/dev/null 2>&1 || true
        sleep 1.2
    done
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
figure jar "$JAR"
figure java_opts "${OPTS[*]}"
figure step_seconds "$STEP_SECONDS"

# ------------------------------------------------------------------ 1a. tcpdump, top rate
log "1a. tcpdump on tapA under hping3 --flood for ${FLOOD_SECONDS}s"
start_bg tap tcpdump-top tcpdump -i tapA -Q in -s "$SNAPLEN" -B 8192 -n -Z root -w /dev/null "$TCPD_FILTER"
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
d="$OUT/service"; mkdir -p "$d"
live_start "$d" "$PY" "$ROOT/src/bench/stamp-lines.py" java "${OPTS[@]}" "${SERVICE_ARGS[@]}" --format jsonl
JPID=$(java_pid "$LIVE_PID")
cli 198.51.100.10 80 --expect ok --count 20
log "1b. warm-up: 20,000 SYNs at -i u20 (the JIT compiles the path before the measured flood)"
nsx client timeout 30 hping3 -q -S -p 443 -a 203.0.113.254 -i u20 -c 20000 198.51.100.20 >/dev/null 2>&1 || true
refused_every 3 1000
figure rss_rest_kb "$(rss_kb "$JPID")"
date +%s%N >"$d/rest.start"; refused_every "$REST_SAMPLES" 2000; date +%s%N >"$d/rest.end"
log "1b. the service under hping3 --flood for ${FLOOD_SECONDS}s"
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
    [ "$s" = "$MID" ] && figure rss_mid_kb "$r"
done
hping_wait top-service; sent=$HSENT
t1=${EPOCHREALTIME/./}; rx1=$(counter tapA rx_packets)
date +%s%N >"$d/flood.end"
figure rss_end_kb "$(rss_kb "$JPID")"
figure service_load "$(loadavg)"
figure service_sent "$sent"; figure service_tapA_rx "$(( rx1 - rx0 ))"
figure service_seconds "$(awk -v us=$(( t1 - t0 )) 'BEGIN { printf "%.2f", us / 1e6 }')"
for p in "$SAMPLER" "$C82" "$C81"; do wait "$p" || true; forget_pid "$p"; done
figure cli82_rc "$(cat "$WORK/cli82.rc" 2>/dev/null || echo ?)"
figure cli81_rc "$(cat "$WORK/cli81.rc" 2>/dev/null || echo ?)"
sleep 6   # the unanswered one's last retransmission times out (~3 s), the report interval
figure rss_after_kb "$(rss_kb "$JPID")"
live_stop "$d"
grep -o 'final stats.*' "$d/live.log" | tail -1 >"$d/final-stats.txt" || true

# ------------------------------------------------------------------ 2. pinned: steps
log "2. pinned: flood on core 0, capture on core 1, steps: $STEPS (${STEP_SECONDS}s each)"
start_bg tap tcpdump-pinned taskset -c 1 tcpdump -i tapA -Q in -s "$SNAPLEN" -B 8192 -n -Z root -w /dev/null "$TCPD_FILTER"
TPID=$LAST_PID
wait_for_line "$WORK/tcpdump-pinned.log" 'listening on tapA' 10
pc=0; pd=0; n=0
for st in $STEPS; do
    n=$((n + 1))
    step_traffic "tcpdump-$n" 0 "$STEP_SECONDS" "$st"
    sleep 2
    kill -USR1 "$TPID"; sleep 0.5
    read -r c dr < <(tcpdump_counts "$WORK/tcpdump-pinned.log")
    printf 'tcpdump\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$st" "$sent" "$rx" "$secs" "$(( c - pc ))" "$(( dr - pd ))" "$(loadavg)" >>"$OUT/pinned.tsv"
    log "pinned tcpdump $st: sent $sent tapA rx $rx in ${secs}s, captured $(( c - pc )) dropped $(( dr - pd ))"
    pc=$c; pd=$dr
done
stop_pid "$TPID" INT || true; forget_pid "$TPID"
cp "$WORK/tcpdump-pinned.log" "$OUT/tcpdump-pinned.log"

d="$OUT/pinned-service"; mkdir -p "$d"
live_start "$d" taskset -c 1 java "${OPTS[@]}" "${SERVICE_ARGS[@]}" --format text --stats-interval 1s
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
    step_traffic "service-$n" 0 "$STEP_SECONDS" "$st"
    sleep 2.5   # the backlog drains; a stats line (every second) after it
    read -r f dr < <(tapa)
    printf 'service\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$st" "$sent" "$rx" "$secs" "$(( f - pf ))" "$(( dr - pdr ))" "$(loadavg)" >>"$OUT/pinned.tsv"
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
sd = os.path.join(out, "service")
stats = open(os.path.join(sd, "final-stats.txt")).read()
m = re.search(r"tapA \S+[^|]*? frames (\d+) drops (\d+)", stats)
frames, drops = (int(m.group(1)), int(m.group(2))) if m else (0, 0)
print("# flood-bench, %s" % datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M UTC"))
print()
print("JVM options (systemd/tapdoctor.service): `%s`; load average at start %s, end %s" % (fig["java_opts"], fig["load_start"], fig["load_end"]))
print()
print("## 1. hping3 --flood --rand-source, %s s, unpinned" % fig.get("tcpdump_seconds"))
print()
print("| capture | SYNs sent | tapA rx (bridge) | bridge pps | captured / delivered | dropped | load |")
print("|---|---:|---:|---:|---:|---:|---|")
print("| tcpdump -Q in -s 640 -B 8192, SYN/RST/FIN | %s | %s | %d | %s | %s | %s |" % (fig["tcpdump_sent"], fig["tcpdump_tapA_rx"],
      pps(fig["tcpdump_tapA_rx"], fig["tcpdump_seconds"]), fig["tcpdump_captured"], fig["tcpdump_dropped"], fig["tcpdump_load"]))
print("| tapdoctor run (whole run, warm-up included) | %s | %s | %d | %d | %d | %s |" % (fig["service_sent"], fig["service_tapA_rx"],
      pps(fig["service_tapA_rx"], fig["service_seconds"]), frames, drops, fig["service_load"]))
print()
rm, re_ = int(fig.get("rss_mid_kb", 0)), int(fig.get("rss_end_kb", 0))
print("RSS of the JVM: at rest %s KB, flood middle %d KB, flood end %d KB (%+.1f %%), 6 s after %s KB" % (
      fig.get("rss_rest_kb"), rm, re_, 100.0 * (re_ - rm) / rm if rm else 0, fig.get("rss_after_kb")))
print()
diags = []
for line in open(os.path.join(sd, "live.out")):
    arrival, _, js = line.partition("\t")
    try:
        diags.append((int(arrival), json.loads(js)))
    except ValueError:
        pass
def about(o, ip, port):
    s = json.dumps(o.get("server"))
    return ip in s and ('"port": %d' % port) in s
real82 = [o for _, o in diags if o.get("kind") in ("refused", "port_blocked") and about(o, "198.51.100.10", 82)]
real81 = [o for _, o in diags if (o.get("kind") in ("no_response", "port_blocked") and about(o, "198.51.100.20", 81))
          or (o.get("kind") == "host_unreachable" and "198.51.100.20" in json.dumps(o.get("server"))
              and re.search(r"\b81\b", json.dumps(o.get("port_list", ""))))]
print("Real diagnoses mid-flood (client exit codes: refused %s, unanswered %s):" % (fig.get("cli82_rc"), fig.get("cli81_rc")))
print("- refused 198.51.100.10:82: %s" % (("found: " + real82[0].get("kind") + ", " + real82[0].get("summary", "")) if real82 else "NOT FOUND"))
print("- unanswered 198.51.100.20:81: %s" % (("found: " + real81[0].get("kind") + ", " + real81[0].get("summary", "")) if real81 else "NOT FOUND"))
print()
bounds = {p: (int(open(os.path.join(sd, p + ".start")).read()), int(open(os.path.join(sd, p + ".end")).read())) for p in ("rest", "flood")}
lat = {p: [] for p in bounds}
for arrival, o in diags:
    if o.get("kind") not in ("refused", "port_blocked") or "198.51.100.10" not in json.dumps(o.get("server")) or o.get("count") != 1:
        continue
    t = ns(o["time"])
    for p, (a, b) in bounds.items():
        if a <= t <= b:
            lat[p].append((arrival - t) / 1e6)
print("| latency, deciding frame to stdout | samples | p50 ms | p90 ms | p99 ms | max ms |")
print("|---|---:|---:|---:|---:|---:|")
for p, v in lat.items():
    v.sort()
    if v:
        print("| %s | %d | %.1f | %.1f | %.1f | %.1f |" % (p, len(v), pct(v, 50), pct(v, 90), pct(v, 99), v[-1]))
    else:
        print("| %s | 0 | - | - | - | - |" % p)
print()
print("Allocation (service log at shutdown, ThreadMXBean since the thread's start of work):")
for l in open(os.path.join(sd, "live.log")):
    m = re.search(r"(\S+: \d+ frames since .* allocated -?\d+ bytes.*)", l)
    if m:
        print("- " + m.group(1))
print()
print("## 2. pinned: flood taskset -c 0, capture taskset -c 1, %s s per step" % fig.get("step_seconds"))
print()
print("| capture | step | SYNs sent | tapA rx | bridge pps | captured / delivered | dropped | load |")
print("|---|---|---:|---:|---:|---:|---:|---|")
best = {}
for l in open(os.path.join(out, "pinned.tsv")):
    who, st, sent, rx, secs, got, dr, load = l.rstrip("\n").split("\t")
    r = pps(rx, secs)
    print("| %s | %s | %s | %s | %d | %s | %s | %s |" % (who, st, sent, rx, r, got, dr, load))
    if int(dr) == 0 and r > best.get(who, (0, "-"))[0]:
        best[who] = (r, st)
print()
for who in ("tcpdump", "service"):
    r, st = best.get(who, (0, "-"))
    print("Highest zero-drop bridge rate, %s pinned: %d pps (step %s)" % (who, r, st))
PYEOF
