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
# bounded by count and by FLOOD_SECONDS). Prints p50/p90/p99/max per JAR and phase.
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
PARALLEL=${PARALLEL:-2}
FLOOD_SECONDS=${FLOOD_SECONDS:-90}
PY=$(python3 -c 'import sys; print(sys.executable)')
OPTS=(-Xms64m -Xmx256m -XX:+UseSerialGC)

log "building topology (namespaces ${P}*)"
build_topology
start_services

refused_every() { # N BASE: N refused connections to ports BASE+1.., 1.2 s apart
    local i
    for i in $(seq 1 "$1"); do
        nsx client timeout 10 "$PY" "$HERE/tcpcli.py" 198.51.100.10 $(( $2 + i )) --expect refused >/dev/null 2>&1 || true
        sleep 1.2
    done
}

for jar in "$@"; do
    name=$(basename "$(dirname "$(dirname "$jar")")")-$(basename "$jar" .jar)
    dir="$OUT/$name"; mkdir -p "$dir"
    live_start "$dir" "$PY" "$ROOT/src/bench/stamp-lines.py" java "${OPTS[@]}" -jar "$jar" run \
        --interfaces tapA,tapB --client-side tapA --format jsonl --panel none --set diagnose.max-ports-per-host=1000
    cli 198.51.100.10 80 --expect ok --count 20   # warm-up
    refused_every 5 1000
    date +%s%N >"$dir/rest.start"; refused_every "$SAMPLES" 2000; date +%s%N >"$dir/rest.end"
    deadline=$(( $(date +%s) + FLOOD_SECONDS )); workers=()
    for k in $(seq 1 "$PARALLEL"); do
        ( while [ "$(date +%s)" -lt "$deadline" ]; do
              nsx client timeout 5 hping3 -q -S -p 443 -a "203.0.113.$k" -i u1 -c 50000 198.51.100.20 >/dev/null 2>&1 || true
          done ) &
        workers+=($!); PIDS+=($!)
    done
    sleep 3
    date +%s%N >"$dir/flood.start"; refused_every "$SAMPLES" 3000; date +%s%N >"$dir/flood.end"
    for w in "${workers[@]}"; do stop_pid "$w" TERM || true; forget_pid "$w"; done
    sleep 2
    live_stop "$dir"
    grep -o 'final stats.*' "$dir/live.log" | tail -1 >"$dir/final-stats.txt" || true
done

"$PY" - "$OUT" "$@" <<'PYEOF'
import datetime, json, os, sys
out = sys.argv[1]
def ns(iso):
    d = datetime.datetime.strptime(iso[:26].rstrip("Z"), "%Y-%m-%dT%H:%M:%S.%f")
    frac = iso.split(".")[1].rstrip("Z") if "." in iso else "0"
    whole = int(d.replace(microsecond=0, tzinfo=datetime.timezone.utc).timestamp())
    return whole * 10**9 + int((frac + "000000000")[:9])
def pct(v, p):
    return v[min(len(v) - 1, int(round(p / 100.0 * (len(v) - 1))))]
print("| jar | phase | samples | p50 ms | p90 ms | p99 ms | max ms | drops |")
print("|---|---|---|---|---|---|---|---|")
for jar in sys.argv[2:]:
    name = os.path.basename(os.path.dirname(os.path.dirname(jar))) + "-" + os.path.basename(jar)[:-4]
    d = os.path.join(out, name)
    lat = {"rest": [], "flood": []}
    bounds = {p: (int(open(os.path.join(d, p + ".start")).read()), int(open(os.path.join(d, p + ".end")).read())) for p in lat}
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
    drops = sum(int(x) for x in __import__("re").findall(r"drops (\d+)", stats))
    for p, v in lat.items():
        v.sort()
        if v:
            print("| %s | %s | %d | %.1f | %.1f | %.1f | %.1f | %d |" % (name, p, len(v), pct(v, 50), pct(v, 90), pct(v, 99), v[-1], drops))
        else:
            print("| %s | %s | 0 | - | - | - | - | %d |" % (name, p, drops))
PYEOF
