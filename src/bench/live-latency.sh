#!/usr/bin/env bash
# live-latency.sh OUTDIR JAR [JAR...]     (a benchmark, not a test; as root)
#
# Latency from the deciding frame to the diagnosis on stdout, at rest and under a SYN flood, for
# each JAR in turn (e.g. the code before and after a change, side by side in one run). Builds the
# appliance topology (src/test/scenarios/topology.sh: client, tap bridge over tapA/tapB, switch,
# router, servers; documentation addresses only; namespaces tds<pid>-* always deleted), runs
# `tapdoctor run --format jsonl` under the appliance unit's heap and collector, its stdout
# stamped on arrival (stamp-lines.py), and makes one refused connection every 1.2 s, each to a
# new port of 198.51.100.10 (answered by the server's RST; reported as port_blocked, port 80 of
# the host working; diagnose.max-ports-per-host=1000 keeps each port its own line): each is a
# new problem, published report.pass (10 ms) after its RST, whose kernel stamp is the
# diagnosis's "time" (a recurrence waits for the next report.interval tick by design). Latency = arrival on stdout - "time". SAMPLES refused connections (default 40) at rest,
# then as many during a hping3 SYN flood toward 198.51.100.20:443 (PARALLEL x hping3 -i u1,
# bounded by count and by FLOOD_SECONDS). ROUNDS (default 1) rounds, the jars' order reversed
# every other round (ABBA: neither jar always runs second, at whatever load the machine has then);
# the load average is recorded at each phase's start and end. Prints p50/p90/p99/max per JAR and
# phase over all rounds, with the load range, then the same per round.
set -Eeuo pipefail
[ $# -ge 2 ] || { echo "usage: $0 OUTDIR JAR [JAR...]" >&2; exit 2; }
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=$(mkdir -p "$1" && cd "$1" && pwd); shift
HERE="$ROOT/src/test/scenarios"
TD_NAME=live-latency
TD_EXTRA_TOOLS="hping3:hping3 timeout:coreutils"
# shellcheck source=../test/scenarios/topology.sh
. "$HERE/topology.sh"
check_prereqs
SAMPLES=${SAMPLES:-40}
ROUNDS=${ROUNDS:-1}
PARALLEL=${PARALLEL:-2}
FLOOD_SECONDS=${FLOOD_SECONDS:-90}
PY=$(python3 -c 'import sys; print(sys.executable)')
OPTS=(-Xms64m -Xmx256m -XX:+UseSerialGC)

log "building topology (namespaces ${P}*)"
build_topology
start_services

jar_name() { echo "$(basename "$(dirname "$(dirname "$1")")")-$(basename "$1" .jar)"; }
load() { cut -d' ' -f1 /proc/loadavg; }
JARS=(); for j in "$@"; do JARS+=("$(realpath "$j")"); done # absolute: the summary names runs by their path
for round in $(seq 1 "$ROUNDS"); do
  order=("${JARS[@]}")
  if [ $(( round % 2 )) -eq 0 ]; then
      order=(); for (( i=${#JARS[@]}-1; i>=0; i-- )); do order+=("${JARS[$i]}"); done
  fi
  for jar in "${order[@]}"; do
    name=$(jar_name "$jar")
    dir="$OUT/r$round/$name"; mkdir -p "$dir"
    log "round $round: $name (load $(load))"
    live_start "$dir" "$PY" "$ROOT/src/bench/stamp-lines.py" java "${OPTS[@]}" -jar "$jar" run \
        --interfaces tapA,tapB --client-side tapA --format jsonl --panel none --set diagnose.max-ports-per-host=1000
    cli 198.51.100.10 80 --expect ok --count 20   # warm-up
    refused_every 5 1000
    base=$(( round * 10000 ))
    load >"$dir/rest.load"; date +%s%N >"$dir/rest.start"; refused_every "$SAMPLES" $(( base + 2000 )); date +%s%N >"$dir/rest.end"; load >>"$dir/rest.load"
    deadline=$(( $(date +%s) + FLOOD_SECONDS )); workers=()
    for k in $(seq 1 "$PARALLEL"); do
        ( while [ "$(date +%s)" -lt "$deadline" ]; do
              nsx client timeout 5 hping3 -q -S -p 443 -a "203.0.113.$k" -i u1 -c 50000 198.51.100.20 >/dev/null 2>&1 || true
          done ) &
        workers+=($!); PIDS+=($!)
    done
    sleep 3
    load >"$dir/flood.load"; date +%s%N >"$dir/flood.start"; refused_every "$SAMPLES" $(( base + 4000 )); date +%s%N >"$dir/flood.end"; load >>"$dir/flood.load"
    for w in "${workers[@]}"; do stop_pid "$w" TERM || true; forget_pid "$w"; done
    sleep 2
    live_stop "$dir"
    grep -o 'final stats.*' "$dir/live.log" | tail -1 >"$dir/final-stats.txt" || true
  done
done

"$PY" - "$OUT" "$ROUNDS" "${JARS[@]}" <<'PYEOF'
import datetime, glob, json, os, re, sys
out, rounds, jars = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
def ns(iso):
    d = datetime.datetime.strptime(iso[:26].rstrip("Z"), "%Y-%m-%dT%H:%M:%S.%f")
    frac = iso.split(".")[1].rstrip("Z") if "." in iso else "0"
    whole = int(d.replace(microsecond=0, tzinfo=datetime.timezone.utc).timestamp())
    return whole * 10**9 + int((frac + "000000000")[:9])
def pct(v, p):
    return v[min(len(v) - 1, int(round(p / 100.0 * (len(v) - 1))))]
def jar_name(jar):
    return os.path.basename(os.path.dirname(os.path.dirname(jar))) + "-" + os.path.basename(jar)[:-4]
def run(d):
    """latencies per phase, loads per phase, drops of one service run"""
    lat = {"rest": [], "flood": []}
    bounds = {p: (int(open(os.path.join(d, p + ".start")).read()), int(open(os.path.join(d, p + ".end")).read())) for p in lat}
    loads = {p: [float(x) for x in open(os.path.join(d, p + ".load")).read().split()] for p in lat}
    for line in open(os.path.join(d, "live.out")):
        arrival, _, js = line.partition("\t")
        try:
            o = json.loads(js)
        except ValueError:
            continue
        # refused, folded into port_blocked since port 80 of the host works
        if o.get("kind") not in ("refused", "port_blocked") or "198.51.100.10" not in json.dumps(o.get("server")) \
                or o.get("count") != 1:
            continue
        t = ns(o["time"])
        for p, (a, b) in bounds.items():
            if a <= t <= b:
                lat[p].append((int(arrival) - t) / 1e6)
    stats = open(os.path.join(d, "final-stats.txt")).read()
    return lat, loads, sum(int(x) for x in re.findall(r"drops (\d+)", stats))
def row(label, phase, v, loads, drops):
    v = sorted(v)
    load = "%.1f-%.1f" % (min(loads), max(loads)) if loads else "-"
    if v:
        print("| %s | %s | %d | %.1f | %.1f | %.1f | %.1f | %s | %d |" % (label, phase, len(v), pct(v, 50), pct(v, 90), pct(v, 99), v[-1], load, drops))
    else:
        print("| %s | %s | 0 | - | - | - | - | %s | %d |" % (label, phase, load, drops))
head = "| %s | phase | samples | p50 ms | p90 ms | p99 ms | max ms | load | drops |\n|---|---|---|---|---|---|---|---|---|"
print(head % "jar (all rounds)")
runs = {}
for jar in jars:
    runs[jar] = [run(os.path.join(out, "r%d" % r, jar_name(jar))) for r in range(1, rounds + 1)]
for phase in ("rest", "flood"):
    for jar in jars:
        rs = runs[jar]
        row(jar_name(jar), phase, [x for lat, _, _ in rs for x in lat[phase]], [x for _, ld, _ in rs for x in ld[phase]], sum(d for _, _, d in rs))
print()
print(head % "round: jar")
for r in range(rounds):
    order = jars if r % 2 == 0 else jars[::-1]
    for jar in order:
        lat, ld, dr = runs[jar][r]
        for phase in ("rest", "flood"):
            row("%d: %s" % (r + 1, jar_name(jar)), phase, lat[phase], ld[phase], dr)
PYEOF
