#!/usr/bin/env python3
"""Time from exec to sd_notify READY=1 of a command, as systemd's Type=notify sees it.

usage: ready-time.py SOCKET NOTIFY_SOCKET LOG TIMEOUT COMMAND...

Listens on the datagram socket SOCKET (a path this run may create), starts COMMAND with
NOTIFY_SOCKET set to the second argument (the same socket by the path COMMAND sees: under a
chroot it differs), waits at most TIMEOUT seconds for READY=1, and prints "WALL_MS CPU_MS": the
wall time from the start, and the process's CPU time (user + system) up to READY=1 from
/proc/PID/stat. The CPU figure is the JVM's only if COMMAND execs all the way (ip netns exec,
unshare, chroot and the launcher all do). Then SIGTERM, and SIGKILL after 60 s: a JVM under
qemu-user shuts down slowly. COMMAND's stderr goes to LOG. Exit 1 if READY=1 never came.
Used by startup.sh and qemu-startup.sh.
"""
import os
import socket
import subprocess
import sys
import time


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main(path, notify_socket, log_path, timeout, command):
    if os.path.exists(path):
        os.unlink(path)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    listener.bind(path)
    deadline = time.monotonic() + timeout
    env = dict(os.environ, NOTIFY_SOCKET=notify_socket)
    with open(log_path, "w") as log:
        t0 = time.monotonic()
        p = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=log)
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0 or p.poll() is not None:
                    print("ready-time.py: no READY=1 from %s (%s)" % (command[0],
                          "exited %s" % p.returncode if p.returncode is not None else "timeout"),
                          file=sys.stderr)
                    return 1
                listener.settimeout(min(left, 1.0))
                try:
                    if b"READY=1" in listener.recv(4096):
                        break
                except socket.timeout:
                    continue
            wall = time.monotonic() - t0
            print(round(wall * 1000), round(cpu_seconds(p.pid) * 1000))
            return 0
        finally:
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(60)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
            listener.close()
            os.unlink(path)


if __name__ == "__main__":
    if len(sys.argv) < 6:
        sys.exit(__doc__.split("\n\n")[1])
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), sys.argv[5:]))
