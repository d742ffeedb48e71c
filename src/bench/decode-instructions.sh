#!/usr/bin/env bash
# decode-instructions.sh BEFORE.jar AFTER.jar [decode|engine] [CALLS] [ROUNDS]   (a benchmark)
#
# Instructions per frame of two builds' EngineBenchmark (the benchmarks.jar of `mvn -Pbench
# package`), counted by valgrind's callgrind in a window that excludes start-up, set-up and JIT
# warm-up (DecodeInstructions.java, instrumentation toggled with callgrind_control): a figure
# that does not depend on what else the machine runs, for when timings are noise. ROUNDS
# (default 2) alternated runs per build; prints the main thread's instructions per frame.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BEFORE=$1; AFTER=$2; WHAT=${3:-decode}; CALLS=${4:-300}; ROUNDS=${5:-2}
WARMUP=${WARMUP:-15000}
for c in valgrind callgrind_control javac java; do
    command -v "$c" >/dev/null || { echo "missing $c" >&2; exit 1; }
done
WORK=$(mktemp -d /tmp/decode-instructions.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
javac -d "$WORK/cls" "$HERE/DecodeInstructions.java"

one() {   # one JAR: prints instructions per frame of the measured window
    local jar=$1 out=$WORK/run.$RANDOM line best=0 f n
    mkdir -p "$out"
    coproc VG { exec valgrind --tool=callgrind --instr-atstart=no --separate-threads=yes \
        --callgrind-out-file="$out/cg.%p" java -Xms1g -Xmx1g -XX:+UseSerialGC -XX:-TieredCompilation -Xbatch -XX:CICompilerCount=1 \
        -cp "$WORK/cls" DecodeInstructions "$jar" "$WHAT" "$WARMUP" "$CALLS" 2>"$out/vg.log"; }
    local pid=$VG_PID
    read -r line <&"${VG[0]}"; [ "$line" = READY ] || { echo "unexpected: $line" >&2; return 1; }
    callgrind_control -i on "$pid" >/dev/null
    echo go >&"${VG[1]}"
    read -r line <&"${VG[0]}"
    callgrind_control -i off "$pid" >/dev/null
    echo end >&"${VG[1]}"
    wait "$pid" || true
    for f in "$out"/cg.*; do
        n=$(sed -nE 's/^totals: ([0-9]+).*/\1/p' "$f" | head -1)
        [ -n "$n" ] && [ "$n" -gt "$best" ] && best=$n
    done
    echo "scale=2; $best / ($CALLS * 1024)" | bc
}

printf '%s %s, %d calls of 1024 frames after %d warm-up calls\n' "$WHAT" "$(basename "$BEFORE") vs $(basename "$AFTER")" "$CALLS" "$WARMUP"
for r in $(seq "$ROUNDS"); do
    b=$(one "$BEFORE"); a=$(one "$AFTER")
    printf 'round %d: before %s instructions/frame, after %s, after/before %s\n' "$r" "$b" "$a" \
        "$(echo "scale=4; $a / $b" | bc)"
done
