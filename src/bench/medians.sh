# Medians of interleaved rounds, sourced by startup.sh and qemu-startup.sh. A round's figures
# are lines "WALL_MS CPU_MS", one file per variant and measurement.
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
# col FILE: "median wall / median CPU" of the lines of FILE (- if none)
col() { if [[ -s $1 ]]; then echo "$(cut -d' ' -f1 "$1" | median) / $(cut -d' ' -f2 "$1" | median)"; else echo -; fi; }
# runs FILE: every round's wall time, in order
runs() { if [[ -s $1 ]]; then cut -d' ' -f1 "$1" | paste -sd' '; else echo -; fi; }
