package org.tapdoctor.track;

/**
 * IPv6 neighbour facts (RFC 4861 section 7): solicitations for a target address that nobody
 * answered ({@code host_down} for IPv6), and duplicate address detection probes (RFC 4862 5.4)
 * answered by another MAC ({@code duplicate_ip} for IPv6). See docs/diagnosis-rules.md section 4.
 *
 * <p>An NS from the unspecified address is a DAD probe: it is never a host down (a probe nobody
 * answers is the address being free). An NA for a probed target from the prober's own MAC is the
 * prober announcing the address it now owns (SITE-NOTES S5), not a conflict. Any ND message from an
 * address, or an NA for it, is a sign of life: its pending solicitations are answered.
 *
 * <p>Caveats: a sign of life is only neighbour discovery (other packets from the address are not
 * looked at, as ARP's table looks only at ARP). Two open tables over primitive arrays, allocated
 * once; a full table evicts its least recently seen entry and counts it; not thread-safe.
 */
public final class Ipv6NeighborTable extends OpenTable implements OpenTable.Ranking {
    private static final long NONE = Long.MIN_VALUE;
    /** Solicitations add up across retries within this window (as ARP's, {@link ArpTable#ARP_WINDOW_NANOS}). */
    static final long WINDOW_NANOS = ArpTable.ARP_WINDOW_NANOS;
    /** How long an answer to a DAD probe counts: RetransTimer (1 s) x DupAddrDetectTransmits (1), RFC 4862 5.4. */
    static final long DAD_ANSWER_NANOS = 1_000_000_000L;
    /** A probe's slot is kept this long, then freed. */
    static final long DAD_KEEP_NANOS = 2_000_000_000L;

    // Neighbour slot: 0 HI, 1 LO (the target), 2 ASKER_HI, 3 ASKER_LO (the first asker of the pending
    // solicitations), 4 FIRST, 5 LAST (solicitation times), 6 COUNT (pending), 7 LAST_SEEN
    private static final int HI = 0, LO = 1, ASKER_HI = 2, ASKER_LO = 3, FIRST = 4, LAST = 5, COUNT = 6, LAST_SEEN = 7,
            STRIDE = 8;
    public static final int BYTES_PER_SLOT = STRIDE * 8;
    // DAD slot: 0 HI, 1 LO (the target), 2 PROBER (MAC), 3 PROBED (time of the first probe), 4 PROBES, 5 ANSWERS
    private static final int PROBER = 2, PROBED = 3, PROBES = 4, ANSWERS = 5, DAD_STRIDE = 6;
    public static final int DAD_BYTES_PER_SLOT = DAD_STRIDE * 8;

    private final Ipv6Dot1xConfig config;
    private final TrackerListener listener;
    private final Probes probes;
    private long evictions;

    public Ipv6NeighborTable(Ipv6Dot1xConfig config, TrackerListener listener) {
        super(config.neighbors(), STRIDE);
        this.config = config;
        this.listener = listener;
        this.probes = new Probes(config.dadProbes());
    }

    @Override
    protected int home(int b) {
        return Tables.hash(words[b + HI], words[b + LO], 0, mask);
    }

    public long evictions() { return evictions; }
    public long dadEvictions() { return probes.evictions; }
    public int dadProbesHeld() { return probes.size(); }

    /** A neighbour solicitation (not a DAD probe) for a target from {@code asker}. */
    public void onSolicitation(long targetHi, long targetLo, long askerHi, long askerLo, long now) {
        int i = findOrInsert(targetHi, targetLo, now);
        int b = base(i);
        if (words[b + COUNT] > 0 && now - words[b + FIRST] >= WINDOW_NANOS) {
            words[b + COUNT] = 0; // older solicitations are outside the window: start afresh
        }
        if (words[b + COUNT] == 0) {
            words[b + FIRST] = now;
            words[b + ASKER_HI] = askerHi;
            words[b + ASKER_LO] = askerLo;
        }
        words[b + COUNT]++;
        words[b + LAST] = now;
    }

    /** The address showed it is there (it sent neighbour discovery, or an NA is for it): pending solicitations are answered. */
    public void onSignOfLife(long hi, long lo, long now) {
        int i = slotOf(hi, lo);
        if (i >= 0) {
            words[base(i) + COUNT] = 0;
            words[base(i) + LAST_SEEN] = now;
        }
    }

    /** A DAD probe (NS from ::) for {@code target} from {@code proberMac}. */
    public void onDadProbe(long targetHi, long targetLo, long proberMac, long now) {
        probes.probe(targetHi, targetLo, proberMac, now);
    }

    /** An NA for {@code target} from {@code mac}: another MAC answering a fresh probe defends the address. */
    public void onAdvertisement(long targetHi, long targetLo, long mac, long now) {
        onSignOfLife(targetHi, targetLo, now);
        probes.answer(targetHi, targetLo, mac, now);
    }

    /** Reports targets whose solicitations went unanswered for {@code nd.timeout}; frees old probes. */
    public void expire(long now) {
        for (int i = nextInUse(0); i < slots(); i = nextInUse(i + 1)) {
            int b = base(i);
            long n = words[b + COUNT];
            if (n == 0 || now - words[b + LAST] < config.ndTimeoutNanos()) {
                continue;
            }
            if (n >= config.ndMinRequests()) {
                report(i);
            } else if (now - words[b + FIRST] >= WINDOW_NANOS) {
                words[b + COUNT] = 0;
            }
        }
        probes.expire(now);
    }

    /** End of a capture: solicitations already repeated over at least a second went unanswered (as ARP's). */
    public void finish(long end) {
        for (int i = nextInUse(0); i < slots(); i = nextInUse(i + 1)) {
            int b = base(i);
            if (words[b + COUNT] >= config.ndMinRequests() && words[b + LAST] - words[b + FIRST] >= 990_000_000L) {
                report(i);
            }
        }
    }

    private void report(int i) {
        int b = base(i);
        listener.onNeighborUnanswered(words[b + HI], words[b + LO], words[b + ASKER_HI], words[b + ASKER_LO],
                (int) words[b + COUNT], words[b + FIRST], words[b + LAST]);
        words[b + COUNT] = 0;
    }

    private int findOrInsert(long hi, long lo, long now) {
        int i = slotOf(hi, lo);
        if (i >= 0) {
            words[base(i) + LAST_SEEN] = now;
            return i;
        }
        int home = Tables.hash(hi, lo, 0, mask);
        if (size() >= capacity) {
            evictions++;
            remove(victimNear(home, this));
        }
        i = occupy(home);
        int b = base(i);
        words[b + HI] = hi;
        words[b + LO] = lo;
        words[b + ASKER_HI] = words[b + ASKER_LO] = 0;
        words[b + FIRST] = words[b + LAST] = NONE;
        words[b + COUNT] = 0;
        words[b + LAST_SEEN] = now;
        return i;
    }

    /** The slot of a target, or -1. */
    public int slotOf(long hi, long lo) {
        for (int i = Tables.hash(hi, lo, 0, mask); inUse(i); i = (i + 1) & mask) {
            if (words[base(i) + HI] == hi && words[base(i) + LO] == lo) {
                return i;
            }
        }
        return -1;
    }

    /** Solicitations pending for a target, 0 when none or unknown. */
    public int pending(long hi, long lo) {
        int i = slotOf(hi, lo);
        return i < 0 ? 0 : (int) words[base(i) + COUNT];
    }

    @Override
    public long lastSeen(int slot) {
        return words[base(slot) + LAST_SEEN];
    }

    /** The DAD probes waiting for an answer, by target. */
    private final class Probes extends OpenTable implements OpenTable.Ranking {
        private long evictions;

        Probes(int capacity) {
            super(capacity, DAD_STRIDE);
        }

        @Override
        protected int home(int b) {
            return Tables.hash(words[b + HI], words[b + LO], 1, mask);
        }

        void probe(long hi, long lo, long mac, long now) {
            int i = find(hi, lo);
            if (i >= 0 && words[base(i) + PROBER] == mac) {
                words[base(i) + PROBES]++;
                return;
            }
            if (i >= 0) {
                remove(i); // another device probes the same address: the newer probe is the one to answer
            }
            int home = Tables.hash(hi, lo, 1, mask);
            if (size() >= capacity) {
                evictions++;
                remove(victimNear(home, this));
            }
            int b = base(occupy(home));
            words[b + HI] = hi;
            words[b + LO] = lo;
            words[b + PROBER] = mac;
            words[b + PROBED] = now;
            words[b + PROBES] = 1;
            words[b + ANSWERS] = 0;
        }

        void answer(long hi, long lo, long mac, long now) {
            int i = find(hi, lo);
            if (i < 0) {
                return;
            }
            int b = base(i);
            if (words[b + PROBER] == mac || now - words[b + PROBED] > DAD_ANSWER_NANOS) {
                return; // the prober announcing its new address, or an answer too late to be one
            }
            words[b + ANSWERS]++;
            listener.onAddressDefended(hi, lo, words[b + PROBER], mac, (int) words[b + PROBES], (int) words[b + ANSWERS],
                    words[b + PROBED], now);
        }

        void expire(long now) {
            for (int i = nextInUse(0); i < slots(); ) {
                if (now - words[base(i) + PROBED] >= DAD_KEEP_NANOS) {
                    remove(i); // a backward shift may move a later entry here: look at this slot again
                    i = nextInUse(i);
                } else {
                    i = nextInUse(i + 1);
                }
            }
        }

        int find(long hi, long lo) {
            for (int i = Tables.hash(hi, lo, 1, mask); inUse(i); i = (i + 1) & mask) {
                if (words[base(i) + HI] == hi && words[base(i) + LO] == lo) {
                    return i;
                }
            }
            return -1;
        }

        @Override
        public long lastSeen(int slot) {
            return words[base(slot) + PROBED];
        }
    }
}
