package org.tapdoctor.diagnose;

import java.util.Locale;

/**
 * Who sent a RST: the rule of docs/diagnosis-rules.md "Who sent the RST", in one place. The hop
 * distance of a packet is the nearest common initial TTL (32, 64, 128, 255) at or above its TTL,
 * minus its TTL; a RST whose hop distance equals the server's own packets' (the reference) is the
 * server's, another distance is a device in between, and without a reference nobody can tell.
 *
 * @param rstTtl the RST's TTL (IPv6: hop limit), -1 when unknown
 * @param referenceTtl the TTL of the server's own packets, -1 when there is none
 * @param from the verdict
 */
public record RstOrigin(int rstTtl, int referenceTtl, From from) {
    public static final String RST_TTL = "rst_ttl", SERVER_TTL = "server_ttl", RST_FROM = "rst_from";

    /** The sender of a RST, as {@code rst_from} names it. */
    public enum From {
        SERVER, MIDDLEBOX, UNKNOWN;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Judges a RST of TTL {@code rstTtl} against the server's reference TTL (either may be -1). */
    public static RstOrigin judge(int rstTtl, int referenceTtl) {
        From from = rstTtl < 0 || referenceTtl < 0 ? From.UNKNOWN
                : hopDistance(rstTtl) == hopDistance(referenceTtl) ? From.SERVER : From.MIDDLEBOX;
        return new RstOrigin(rstTtl, referenceTtl, from);
    }

    /** Hop distance: the nearest common initial TTL (32, 64, 128, 255) at or above {@code ttl}, minus it; -1 for -1. */
    public static int hopDistance(int ttl) {
        if (ttl < 0) {
            return -1;
        }
        int initial = ttl <= 32 ? 32 : ttl <= 64 ? 64 : ttl <= 128 ? 128 : 255;
        return initial - ttl;
    }

    public boolean fromMiddlebox() {
        return from == From.MIDDLEBOX;
    }

    /** {@code rst_ttl} and, when there is a reference, {@code server_ttl}. */
    public void writeTtls(EvidenceWriter w) {
        w.put(RST_TTL, rstTtl);
        if (referenceTtl >= 0) {
            w.put(SERVER_TTL, referenceTtl);
        }
    }

    /** {@code rst_from}. */
    public void writeFrom(EvidenceWriter w) {
        w.put(RST_FROM, from.label());
    }
}
