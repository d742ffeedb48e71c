package org.tapdoctor.service;

import com.sun.jna.Library;
import com.sun.jna.Native;

import org.tinylog.Logger;

/**
 * Tells systemd about the service (sd_notify(3)): {@code READY=1} once capture is open,
 * {@code WATCHDOG=1} while the capture and engine loops are healthy, {@code STOPPING=1} at
 * shutdown. Only when {@code NOTIFY_SOCKET} is set (started by systemd with Type=notify). The JDK
 * cannot send on systemd's datagram Unix socket, so libsystemd's sd_notify is called through JNA.
 */
class SystemdNotifier {
    interface LibSystemd extends Library {
        int sd_notify(int unsetEnvironment, String state);
    }

    private final LibSystemd lib;

    private SystemdNotifier(LibSystemd lib) {
        this.lib = lib;
    }

    static SystemdNotifier fromEnvironment() {
        if (System.getenv("NOTIFY_SOCKET") == null) {
            return new SystemdNotifier(null);
        }
        try {
            return new SystemdNotifier(Native.load("systemd", LibSystemd.class));
        } catch (UnsatisfiedLinkError e) {
            Logger.warn("NOTIFY_SOCKET is set but libsystemd cannot be loaded; no readiness or watchdog notifications: {}",
                    e.getMessage());
            return new SystemdNotifier(null);
        }
    }

    boolean enabled() {
        return lib != null;
    }

    void ready(String status) {
        send("READY=1\nSTATUS=" + status);
    }

    void watchdog() {
        send("WATCHDOG=1");
    }

    void stopping() {
        send("STOPPING=1");
    }

    private void send(String state) {
        if (lib != null) {
            int rc = lib.sd_notify(0, state);
            if (rc < 0) {
                Logger.debug("sd_notify({}) returned {}", state.replace('\n', ' '), rc);
            }
        }
    }
}
