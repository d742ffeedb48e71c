package org.tapdoctor.diagnose;

import java.util.List;
import java.util.stream.Collectors;

import org.tapdoctor.engine.Engine;
import org.tapdoctor.engine.EngineSettings;
import org.tapdoctor.track.Tracker;
import org.tapdoctor.track.TrackerConfig;
import org.tapdoctor.wire.DecodedFrame;
import org.tapdoctor.wire.TestPackets;

/**
 * A scripted wire for diagnosis tests: frames go through the real engine (tracker, diagnoser,
 * reporter) in time order, as a replay does without the decoder; {@link #diagnoses()} ends the
 * capture and reports. Times are in milliseconds from 0 so
 * tests read like a capture listing.
 */
final class Wire {
    static final int SYN = DecodedFrame.SYN, ACK = DecodedFrame.ACK, RST = DecodedFrame.RST, FIN = DecodedFrame.FIN,
            PSH = DecodedFrame.PSH;
    static final long MS = 1_000_000L;
    /** 2026-11-21T00:00:00Z, so printed times are readable. */
    static final long EPOCH = 1_795_219_200_000_000_000L;

    final Engine engine;
    final Tracker tracker;

    Wire() {
        this(TrackerConfig.defaults().withTables(1024, 1024, 1024, 1024, 1024));
    }

    Wire(TrackerConfig config) {
        this(EngineSettings.defaults().withTracker(config));
    }

    Wire(EngineSettings settings) {
        engine = new Engine(settings);
        tracker = engine.tracker();
    }

    Wire frame(DecodedFrame f) {
        engine.track(f);
        return this;
    }

    /** A TCP segment at {@code ms} with TTL 64 and window 65535. */
    Wire tcp(long ms, String src, int sport, String dst, int dport, int flags, int seq, int ack) {
        return tcp(ms, src, sport, dst, dport, flags, seq, ack, 64, 65535, 0);
    }

    Wire tcp(long ms, String src, int sport, String dst, int dport, int flags, int seq, int ack, int ttl, int window,
             int payload) {
        return frame(TestPackets.tcp(EPOCH + ms * MS, src, sport, dst, dport, flags, seq, ack, ttl, window, payload));
    }

    /** A complete handshake starting at {@code ms}: SYN, SYN/ACK 10 ms later, ACK 1 ms after that. */
    Wire handshake(long ms, String client, int cport, String server, int sport, int serverTtl) {
        tcp(ms, client, cport, server, sport, SYN, 1000, 0);
        tcp(ms + 10, server, sport, client, cport, SYN | ACK, 5000, 1001, serverTtl, 65535, 0);
        return tcp(ms + 11, client, cport, server, sport, ACK, 1001, 5001);
    }

    /** Moves time to {@code ms} with no frame (as the live clock does). */
    Wire idle(long ms) {
        engine.advance(EPOCH + ms * MS);
        return this;
    }

    /** Ends the capture (the engine's flush) and returns its report. */
    List<Diagnosis> diagnoses() {
        engine.finish();
        return engine.diagnoses();
    }

    /** "kind server" lines, e.g. {@code refused 198.51.100.10:82}, for compact assertions. */
    static List<String> summary(List<Diagnosis> ds) {
        return ds.stream().map(d -> d.kind().label() + " " + (d.server() == null ? "-" : d.server().toString()))
                .collect(Collectors.toList());
    }
}
