#!/usr/bin/env bash
# Whole process, `tapdoctor replay` against `tshark -q -z conv,tcp`, on the two captures of issue 12:
#   flood  834,101 packets: a random-source SYN flood (90 % of the packets, hping3 --rand-source
#          style, unanswered) over the traffic mix, 200 kpps, headers only (gen-capture.py --flood)
#   mix    5,000,000 packets of the traffic mix, 20 us apart, headers only (gen-capture.py)
# Interleaved rounds: every round runs, per capture, each jar and tshark once, the order of the
# tools rotating from round to round, so that the noise of a shared machine falls on all alike.
# Prints per capture and tool the median wall time (and every run), the median user+sys CPU,
# the largest max RSS, and tshark's median over each jar's: the ratio the issue asks for.
# The load average is printed before, after every round, and after the last.
#
# With several jars (e.g. before and after a change), the replay output of each jar is compared
# byte for byte with the first jar's on each capture (jsonl), and a difference is reported.
#
# With LAUNCHER=1, each jar also runs as the package installs it: /usr/bin/tapdoctor (here
# src/deb/bin/tapdoctor) with the class-data sharing archive that make-cds-archive makes for that
# jar, as "launcher#N" (and TAPDOCTOR_JAVA_OPTS=$LAUNCHER_OPTS when that is set); its output is
# compared with tapdoctor#1's as well. With LAUNCHER_BEFORE=FILE (another launcher script, e.g.
# an older src/deb/bin/tapdoctor from git show), each jar also runs through that one, with the same
# archive, as "before#N": a launcher change measured side by side.
#
# usage: [ROUNDS=5] [OUT=target/bench] [ONLY=flood|mix] [LAUNCHER=1 [LAUNCHER_OPTS=...] [LAUNCHER_BEFORE=FILE]]
#        src/bench/replay-vs-tshark.sh [JAR...]
#        (default target/tapdoctor.jar; ONLY runs one of the two captures)
# The captures are generated into $OUT once (about 100 MB; not committed) and reused.
# Needs: java, python3, tshark, /usr/bin/time.
set -euo pipefail

cd "$(dirname "$0")/../.."
ROUNDS=${ROUNDS:-5}
OUT=${OUT:-target/bench}
JARS=("$@")
[[ ${#JARS[@]} -gt 0 ]] || JARS=(target/tapdoctor.jar)
for tool in java python3 tshark /usr/bin/time; do
    command -v "$tool" > /dev/null || { echo "replay-vs-tshark.sh: $tool not found" >&2; exit 2; }
done
for jar in "${JARS[@]}"; do
    [[ -f $jar ]] || { echo "replay-vs-tshark.sh: $jar not found (mvn -q -o package -DskipTests)" >&2; exit 2; }
done

mkdir -p "$OUT"
FLOOD=$OUT/flood-834101.pcap
MIX=$OUT/mix-5000000.pcap
[[ -s $FLOOD || ${ONLY:-flood} != flood ]] || python3 src/bench/gen-capture.py -n 834101 --spacing-us 5 --flood 0.9 "$FLOOD"
[[ -s $MIX || ${ONLY:-mix} != mix ]] || python3 src/bench/gen-capture.py -n 5000000 "$MIX"
CAPTURES=()
[[ ${ONLY:-flood} != flood ]] || CAPTURES+=("flood|$FLOOD|834101")
[[ ${ONLY:-mix} != mix ]] || CAPTURES+=("mix|$MIX|5000000")

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# tools: name|command; the capture is appended
TOOLS=()
for j in "${!JARS[@]}"; do
    TOOLS+=("tapdoctor#$((j + 1))|java -jar ${JARS[$j]} replay --format jsonl")
done
if [[ ${LAUNCHER:-} == 1 ]]; then
    export TAPDOCTOR_JAVA_OPTS=${LAUNCHER_OPTS:-} # read by the launcher only
    for j in "${!JARS[@]}"; do
        cds=$TMP/cds-$j/tapdoctor.jsa
        mkdir -p "$TMP/cds-$j"
        TAPDOCTOR_JAR=${JARS[$j]} TAPDOCTOR_CDS=$cds TAPDOCTOR_LAUNCHER=src/deb/bin/tapdoctor \
            TAPDOCTOR_CDS_TRAINING=src/test/resources/demo/site-visit.pcap src/deb/bin/make-cds-archive 2> "$TMP/make.log"
        [[ -f $cds ]] || { echo "replay-vs-tshark.sh: make-cds-archive made no archive:" >&2; cat "$TMP/make.log" >&2; exit 1; }
        TOOLS+=("launcher#$((j + 1))|env TAPDOCTOR_JAR=${JARS[$j]} TAPDOCTOR_CDS=$cds src/deb/bin/tapdoctor replay --format jsonl")
        if [[ -n ${LAUNCHER_BEFORE:-} ]]; then
            TOOLS+=("before#$((j + 1))|env TAPDOCTOR_JAR=${JARS[$j]} TAPDOCTOR_CDS=$cds $LAUNCHER_BEFORE replay --format jsonl")
        fi
    done
fi
TOOLS+=("tshark|tshark -q -z conv,tcp -r")

# run C T: one run of tool T on capture C; appends "wall_us cpu_s max_rss_kb" to $TMP/C.T.times
run() {
    local c=$1 t=$2 file cmd start end
    file=$(cut -d'|' -f2 <<< "${CAPTURES[$c]}")
    cmd="${TOOLS[$t]#*|} $file"
    start=$(date +%s%N)
    /usr/bin/time -f '%U %S %M' -o "$TMP/time" $cmd > "$TMP/$c.$t.out" 2> "$TMP/stderr" \
        || { echo "replay-vs-tshark.sh: '$cmd' failed:" >&2; cat "$TMP/stderr" >&2; exit 1; }
    end=$(date +%s%N)
    read -r user sys rss < <(tail -1 "$TMP/time")
    echo "$(( (end - start) / 1000 )) $(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }') $rss" >> "$TMP/$c.$t.times"
    if [[ $t -gt 0 && $t -lt $((${#TOOLS[@]} - 1)) ]] && ! cmp -s "$TMP/$c.0.out" "$TMP/$c.$t.out"; then
        echo "replay-vs-tshark.sh: ${TOOLS[$t]%%|*} gives a different replay output than tapdoctor#1 on $file" >&2
        echo different > "$TMP/differs"
    fi
}

load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "load average before: $(load)"
LOADS=("$(load)")
n=${#TOOLS[@]}
for round in $(seq "$ROUNDS"); do
    for c in "${!CAPTURES[@]}"; do
        # jar 1 first every round (the others are compared with its output); tshark's turn rotates
        for k in $(seq 0 $((n - 1))); do
            t=$(( k == 0 ? 0 : 1 + (k - 1 + round) % (n - 1) ))
            run "$c" "$t"
        done
    done
    LOADS+=("$(load)")
    echo "round $round of $ROUNDS done, load average $(load)" >&2
done

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

echo
echo "java: $(java -version 2>&1 | head -1); $(java -version 2>&1 | sed -n 3p)"
echo "cores: $(nproc); $(tshark --version 2>/dev/null | head -1)"
for j in "${!JARS[@]}"; do echo "tapdoctor#$((j + 1)) = java -jar ${JARS[$j]}"; done
[[ ${LAUNCHER:-} != 1 ]] || echo "launcher#N = src/deb/bin/tapdoctor on jar N with its CDS archive, TAPDOCTOR_JAVA_OPTS='${LAUNCHER_OPTS:-}'"
echo "$ROUNDS rounds, tools interleaved; load average (1, 5, 15 min) before and after each round:"
printf '  %s\n' "${LOADS[@]}"
for c in "${!CAPTURES[@]}"; do
    IFS='|' read -r name file packets <<< "${CAPTURES[$c]}"
    echo
    echo "$name: $file, $packets packets, $(stat -L -c %s "$file") bytes"
    printf '%-12s %10s %12s %10s %10s %9s %9s   %s\n' tool "median s" packets/s "CPU s" "RSS MB" "tshark/x" "CPU t/x" "all runs, s"
    tshark_us=$(cut -d' ' -f1 "$TMP/$c.$((n - 1)).times" | median)
    tshark_cpu=$(cut -d' ' -f2 "$TMP/$c.$((n - 1)).times" | median)
    for t in $(seq 0 $((n - 1))); do
        f="$TMP/$c.$t.times"
        wall_us=$(cut -d' ' -f1 "$f" | median)
        cpu=$(cut -d' ' -f2 "$f" | median)
        rss_kb=$(cut -d' ' -f3 "$f" | sort -n | tail -1)
        runs=$(awk '{ printf "%s%.2f", (NR > 1 ? " " : ""), $1 / 1e6 }' "$f")
        awk -v n="${TOOLS[$t]%%|*}" -v w="$wall_us" -v c="$cpu" -v r="$rss_kb" -v b="$tshark_us" -v bc="$tshark_cpu" -v p="$packets" -v runs="$runs" 'BEGIN {
            printf "%-12s %10.3f %12.0f %10.2f %10.0f %8.2fx %8.2fx   %s\n", n, w / 1e6, p / (w / 1e6), c, r / 1024, b / w, bc / c, runs }'
    done
done
echo
echo "(tshark/x = tshark's median wall time / the tool's: how many times faster than tshark; CPU t/x the same"
echo " with the median user+sys CPU time)"
if [[ -f $TMP/differs ]]; then
    echo "REPLAY OUTPUTS DIFFER between jars (see above)"
    exit 1
fi
[[ ${#TOOLS[@]} -lt 3 ]] || echo "replay outputs (jsonl) byte-identical between the tapdoctor runs on every capture, every round"
