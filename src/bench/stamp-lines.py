#!/usr/bin/env python3
"""stamp-lines.py CMD [ARGS...]: runs CMD, writes each line of its stdout prefixed with the
wall-clock time it arrived (epoch nanoseconds, a tab): what a consumer of `run --format jsonl`
sees, and when. SIGTERM and SIGINT are passed on to CMD; exits with CMD's status (128+N for a
signal)."""
import signal
import subprocess
import sys
import time

child = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE)
for s in (signal.SIGTERM, signal.SIGINT):
    signal.signal(s, lambda n, _f: child.send_signal(n))
for line in child.stdout:
    sys.stdout.write("%d\t%s" % (time.time_ns(), line.decode("utf-8", "replace")))
    sys.stdout.flush()
rc = child.wait()
sys.exit(128 - rc if rc < 0 else rc)
