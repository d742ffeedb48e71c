#!/usr/bin/env bash
# Times tapdoctor against tshark and tcpdump on the same generated capture, side by side in one
# run: every round runs each tool once, in turn, so that the noise of a shared machine falls on
# all of them alike; 3 rounds, median wall time. Ratios are the meaningful output, not the
# absolute times.
#
# usage: [ROUNDS=3] src/bench/compare.sh [PACKETS]   (default 1000000)
# Needs: java, python3, tshark, tcpdump, /usr/bin/time; builds target/tapdoctor.jar if missing.
set -euo pipefail

N=${1:-1000000}
ROUNDS=${ROUNDS:-3}
cd "$(dirname "$0")/../.."
JAR=target/tapdoctor.jar

for tool in java python3 tshark tcpdump /usr/bin/time; do
    command -v "$tool" > /dev/null || { echo "compare.sh: $tool not found" >&2; exit 2; }
done
if [[ ! -f $JAR ]]; then
    echo "building $JAR ..." >&2
    mvn -q -o package -DskipTests
fi

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
PCAP=$TMP/mix.pcap
python3 src/bench/gen-capture.py -n "$N" "$PCAP"

# name|command (stdout goes to /dev/null; stderr to a file)
TOOLS=(
    "tapdoctor|java -jar $JAR replay --format jsonl $PCAP"
    "tshark -z conv,tcp|tshark -q -r $PCAP -z conv,tcp"
    "tcpdump -w /dev/null|tcpdump -r $PCAP -w /dev/null"
)

# run I CMD: appends "wall_microseconds max_rss_kb" to $TMP/I.times
run() {
    local i=$1 cmd=$2 start end
    start=$(date +%s%N)
    /usr/bin/time -f %M -o "$TMP/rss" $cmd > /dev/null 2> "$TMP/stderr" \
        || { echo "compare.sh: '$cmd' failed:" >&2; cat "$TMP/stderr" >&2; exit 1; }
    end=$(date +%s%N)
    echo "$(( (end - start) / 1000 )) $(tail -1 "$TMP/rss")" >> "$TMP/$i.times"
}

for round in $(seq "$ROUNDS"); do
    for i in "${!TOOLS[@]}"; do
        run "$i" "${TOOLS[$i]#*|}"
    done
    # tapdoctor's own time for the file (file read, decode, track, report), from the summary line
    # of a text run, with that run's wall time: the difference is JVM start-up and exit
    start=$(date +%s%N)
    java -jar "$JAR" replay --format text "$PCAP" > "$TMP/text.out"
    end=$(date +%s%N)
    echo "$(sed -n 's/^frames [0-9]* in \([0-9.]*\) s.*/\1/p' "$TMP/text.out") $(( (end - start) / 1000 ))" >> "$TMP/inprocess"
done

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

echo
echo "java: $(java -version 2>&1 | head -1); $(java -version 2>&1 | sed -n 3p)"
echo "cores: $(nproc); $(tshark --version 2>/dev/null | head -1); $(tcpdump --version 2>&1 | head -1)"
echo "capture: $N packets, headers only (snaplen 96), $(stat -c %s "$PCAP") bytes; $ROUNDS rounds, tools interleaved"
echo
base_us=
printf '%-22s %12s %14s %12s %18s   %s\n' tool "median wall s" packets/s "max RSS MB" "speed vs tapdoctor" "all runs, s"
for i in "${!TOOLS[@]}"; do
    name=${TOOLS[$i]%%|*}
    f="$TMP/$i.times"
    wall_us=$(cut -d' ' -f1 "$f" | median)
    rss_kb=$(cut -d' ' -f2 "$f" | sort -n | tail -1)
    [[ -n $base_us ]] || base_us=$wall_us
    runs=$(awk '{ printf "%s%.2f", (NR > 1 ? " " : ""), $1 / 1e6 }' "$f")
    awk -v n="$name" -v w="$wall_us" -v r="$rss_kb" -v b="$base_us" -v p="$N" -v runs="$runs" 'BEGIN {
        printf "%-22s %12.3f %14.0f %12.0f %17.2fx   %s\n", n, w / 1e6, p / (w / 1e6), r / 1024, b / w, runs }'
done
inproc=$(cut -d' ' -f1 "$TMP/inprocess" | median)
textwall_us=$(cut -d' ' -f2 "$TMP/inprocess" | median)
awk -v s="$inproc" -v w="$textwall_us" -v p="$N" -v r="$ROUNDS" 'BEGIN {
    printf "\ntapdoctor --format text, median of %d runs: wall %.3f s; in-process %.2f s (%.0f packets/s, its\n", r, w / 1e6, s, p / s
    printf "summary line \"frames N in X s\": open and read, decode, track, report); outside it %.2f s\n", w / 1e6 - s
    printf "(JVM start-up, class loading, exit)\n" }'
echo "(speed vs tapdoctor = tapdoctor's median wall time / the tool's: above 1 is faster than tapdoctor)"
