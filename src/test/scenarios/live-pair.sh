#!/usr/bin/env bash
# live-pair.sh OUT2 LOG2 -- CMD_A [ARGS...] -- CMD_B [ARGS...]
#
# Two live services side by side on the same tap (MisreadLiveIT: the default capture filter and
# capture.path-mtu=true), as one command for make-*.sh --live: CMD_B runs with stdout to OUT2 and
# stderr to LOG2, CMD_A inherits this script's stdout and stderr (live.out, live.log). CMD_A is
# started once CMD_B captures on both ports, so the script's own wait for CMD_A's "capturing on
# tapB" covers both. SIGTERM (live_stop) is passed to both, by PID; the exit status is CMD_A's,
# or 1 when CMD_B did not exit with 0 or 143 (its status in OUT2.rc).
set -uo pipefail
[ $# -ge 5 ] && [ "$3" = "--" ] || { echo "usage: $0 OUT2 LOG2 -- CMD_A... -- CMD_B..." >&2; exit 2; }
out2=$1 log2=$2
shift 3
a=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do a+=("$1"); shift; done
[ $# -gt 1 ] || { echo "$0: no CMD_B" >&2; exit 2; }
shift
"$@" >"$out2" 2>"$log2" &
pb=$!
for _ in $(seq 300); do
    grep -q 'capturing on tapB' "$log2" 2>/dev/null && grep -q 'capturing on tapA' "$log2" && break
    kill -0 "$pb" 2>/dev/null || { echo "$0: CMD_B exited early: $(tail -5 "$log2")" >&2; exit 1; }
    sleep 0.1
done
"${a[@]}" &
pa=$!
stop() {
    kill -TERM "$pa" "$pb" 2>/dev/null
    wait "$pa"; ra=$?
    wait "$pb"; rb=$?
    echo "$rb" >"$out2.rc"
    [ "$rb" = 0 ] || [ "$rb" = 143 ] || exit 1
    exit "$ra"
}
trap stop TERM INT
wait "$pa"; ra=$?
# CMD_A ended by itself: stop CMD_B too
kill -TERM "$pb" 2>/dev/null; wait "$pb"; echo $? >"$out2.rc"
exit "$ra"
