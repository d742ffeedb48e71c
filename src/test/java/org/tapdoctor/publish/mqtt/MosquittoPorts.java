package org.tapdoctor.publish.mqtt;

import java.io.IOException;

/** A free loopback port, for tests that need one nobody listens on. */
public final class MosquittoPorts {
    private MosquittoPorts() {
    }

    public static int free() throws IOException {
        return Mosquitto.freePort();
    }
}
