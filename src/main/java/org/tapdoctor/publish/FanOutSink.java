package org.tapdoctor.publish;

import java.util.List;

import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.site.SiteRecord;
import org.tinylog.Logger;

/**
 * Hands every diagnosis and stats snapshot to several sinks in order (console, then MQTT), so
 * that the live service still talks to one sink. A sink that throws is logged and does not keep
 * the others from their copy. Thread-safe when its sinks are.
 */
public final class FanOutSink implements DiagnosisSink {
    private final List<DiagnosisSink> sinks;

    public FanOutSink(List<DiagnosisSink> sinks) {
        this.sinks = List.copyOf(sinks);
    }

    /** One sink alone is returned as is. */
    public static DiagnosisSink of(List<DiagnosisSink> sinks) {
        return sinks.size() == 1 ? sinks.get(0) : new FanOutSink(sinks);
    }

    @Override
    public void diagnosis(Diagnosis d) {
        for (DiagnosisSink s : sinks) {
            try {
                s.diagnosis(d);
            } catch (RuntimeException e) {
                Logger.error(e, "sink {} failed on a diagnosis", s.getClass().getSimpleName());
            }
        }
    }

    @Override
    public void withdrawn(Diagnosis d) {
        for (DiagnosisSink s : sinks) {
            try {
                s.withdrawn(d);
            } catch (RuntimeException e) {
                Logger.error(e, "sink {} failed on a withdrawn diagnosis", s.getClass().getSimpleName());
            }
        }
    }

    @Override
    public void revised(Diagnosis d) {
        for (DiagnosisSink s : sinks) {
            try {
                s.revised(d);
            } catch (RuntimeException e) {
                Logger.error(e, "sink {} failed on a revised diagnosis", s.getClass().getSimpleName());
            }
        }
    }

    @Override
    public void retired(Diagnosis d) {
        for (DiagnosisSink s : sinks) {
            try {
                s.retired(d);
            } catch (RuntimeException e) {
                Logger.error(e, "sink {} failed on a retired diagnosis", s.getClass().getSimpleName());
            }
        }
    }

    @Override
    public void site(SiteRecord r) {
        for (DiagnosisSink s : sinks) {
            try {
                s.site(r);
            } catch (RuntimeException e) {
                Logger.error(e, "sink {} failed on the site record", s.getClass().getSimpleName());
            }
        }
    }

    @Override
    public void stats(Stats st) {
        for (DiagnosisSink s : sinks) {
            try {
                s.stats(st);
            } catch (RuntimeException e) {
                Logger.error(e, "sink {} failed on stats", s.getClass().getSimpleName());
            }
        }
    }

    @Override
    public void counters(long frames, long handshakesOk, long handshakesFailed) {
        for (DiagnosisSink s : sinks) {
            s.counters(frames, handshakesOk, handshakesFailed);
        }
    }

    @Override
    public void close() {
        for (DiagnosisSink s : sinks) {
            try {
                s.close();
            } catch (RuntimeException e) {
                Logger.error(e, "sink {} failed to close", s.getClass().getSimpleName());
            }
        }
    }
}
