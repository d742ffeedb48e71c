package org.tapdoctor.diagnose;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.tapdoctor.diagnose.kinds.HostDown;
import org.tapdoctor.diagnose.kinds.TableFull;
import org.tapdoctor.track.Tracker;

/**
 * The one path from held problems to published diagnoses, replay and live alike (time is packet
 * time in replay, the monotonic clock live): a diagnosis is published as soon as it is decided,
 * again when it recurs (its count grew) at most once per {@code report.repeat}, and withdrawn when
 * a later verdict replaces it; a group of problems quiet for {@code report.retire} is retired, and
 * when the problem table is full the least recently updated group (already published) is evicted
 * to make room, so a new problem is always reported. The end of a capture is the same
 * {@link #flush} as a live shutdown.
 *
 * <p>Work is per change, never per problem held: a {@link #pass} renders the groups with an urgent
 * change (a new problem, a fact that changes a verdict), a {@link #tick} those whose counts grew,
 * publishes what became due and retires what aged. Across groups it folds one client's failures
 * toward many servers into one line ({@code diagnose.max-servers-per-client}) and lists at most
 * {@code diagnose.max-host-down} hosts down (one more line counts the others).
 *
 * <p>Memory: one entry per current diagnosis (at most one per held problem, plus folded lines),
 * so it is bounded by the problem table; what was published and retired is the listener's.
 *
 * <p>Caveats: one owner thread (the engine's); off the packet path, except that a full problem
 * table makes room through {@link #makeRoom} in the middle of a frame.
 */
public final class Reporter implements ProblemTable.RoomMaker {

    /**
     * The reporting rules' settings (configuration keys {@code report.*} and {@code diagnose.*}).
     *
     * @param passNanos a decided problem is published within this much time (a burst is one pass)
     * @param tickNanos how often recurring problems are rendered and due publications made
     * @param repeatNanos a recurring problem is published again at most this often
     * @param retireNanos a group of problems quiet this long is retired
     */
    public record Settings(long passNanos, long tickNanos, long repeatNanos, long retireNanos, int hostMinAttempts,
                           int maxPortsPerHost, int maxHostDown, int maxServersPerClient, int maxNamesPerDnsServer) {
        public Settings {
            if (passNanos <= 0 || tickNanos <= 0 || repeatNanos <= 0 || retireNanos <= 0) {
                throw new IllegalArgumentException("reporting intervals must be > 0");
            }
            if (hostMinAttempts < 1 || maxPortsPerHost < 1 || maxHostDown < 1 || maxServersPerClient < 1
                    || maxNamesPerDnsServer < 1) {
                throw new IllegalArgumentException("reporting limits must be >= 1");
            }
        }
    }

    /** One current diagnosis: its latest rendering and what was last published of it. */
    private static final class Entry {
        Diagnosis latest;
        Diagnosis published;
        long publishedAt;
        /** Not published on its own: folded into its client's line, or beyond the listed hosts down. */
        boolean suppressed;
        ClientGroup clientGroup;
        boolean hostDown;
    }

    /** A client's diagnoses of one kind that folds by client, and their folded line when there is one. */
    private static final class ClientGroup {
        final String key;
        final LinkedHashMap<String, Entry> members = new LinkedHashMap<>();
        Entry folded;
        boolean lostToRetirement;

        ClientGroup(String key) {
            this.key = key;
        }
    }

    private static final HostDown HOST_DOWN = (HostDown) Kind.HOST_DOWN.rule();
    private static final TableFull TABLE_FULL = (TableFull) Kind.TABLE_FULL.rule();

    private final Settings settings;
    private final ProblemTable problems;
    private final Tracker tracker;
    private final Facts facts;
    private final HostVerdicts verdicts;
    private final DiagnosisListener listener;

    private final Map<String, Entry> book = new HashMap<>();
    private final Map<Integer, List<String>> outputs = new HashMap<>();
    private final Map<String, ClientGroup> clientGroups = new HashMap<>();
    private final Set<ClientGroup> unsettled = new LinkedHashSet<>();
    private final LinkedHashMap<String, Entry> hostsDown = new LinkedHashMap<>();
    private Entry moreHostsDown;
    private boolean hostsDownUnsettled;
    /** Entries whose count grew since they were published: published when {@code report.repeat} has passed. */
    private final Set<Entry> grown = new LinkedHashSet<>();
    private final Map<String, Long> tableCounts = new HashMap<>();
    private boolean sawWorkingHost;
    private long lastTime = Long.MIN_VALUE;
    private long published;
    private long renders;
    private long ticks;

    /**
     * @param sides the NICs by side index (live), or null (replay: no sides)
     */
    public Reporter(Settings settings, ProblemTable problems, Tracker tracker, Sides sides, DiagnosisListener listener) {
        this.settings = settings;
        this.problems = problems;
        this.tracker = tracker;
        this.facts = new Facts(tracker);
        this.verdicts = new HostVerdicts(problems, facts, settings, sides);
        this.listener = listener;
        problems.roomMaker(this);
    }

    public Settings settings() {
        return settings;
    }

    /** Diagnoses published (new or recurred). */
    public long published() {
        return published;
    }

    /** Groups rendered (decided again) so far: the reporter's work, per change. */
    public long renders() {
        return renders;
    }

    /** Ticks so far: the work that is per unit of time (one per {@code report.interval}), not per frame. */
    public long ticks() {
        return ticks;
    }

    /** Current diagnoses held (what the reporter's memory holds). */
    public int held() {
        return book.size();
    }

    // ---- the three entry points ----

    /** Renders the groups with an urgent change and publishes what they decided. */
    public void pass(long now) {
        lastTime = Math.max(lastTime, now);
        if (!sawWorkingHost && facts.hostsWorking() > 0) {
            sawWorkingHost = true;
            problems.allChanged(); // host_unreachable needs another host that works: every group may change
        }
        for (int g = problems.takeUrgent(); g >= 0; g = problems.takeUrgent()) {
            render(g, now);
        }
        settle(now);
    }

    /** A pass, then the groups whose counts grew, due publications, retirement and the tables' health. */
    public void tick(long now) {
        ticks++;
        pass(now);
        for (int g = problems.takeRoutine(); g >= 0; g = problems.takeRoutine()) {
            render(g, now);
        }
        settle(now);
        for (Iterator<Entry> it = grown.iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (now - e.publishedAt >= settings.repeatNanos()) {
                it.remove();
                publish(e, now);
            }
        }
        for (int g = problems.leastRecentGroup(); g >= 0 && now - problems.groupUpdated(g) >= settings.retireNanos();
             g = problems.leastRecentGroup()) {
            remove(g, now, false);
        }
        settle(now);
        tableHealth(now);
    }

    /**
     * The end of a capture, or a live shutdown: every group with a change rendered, every group
     * re-rendered against the final facts; every diagnosis that recurred since its last
     * publication is published, one that only changed is {@link DiagnosisListener#revised revised}.
     */
    public void flush(long now) {
        tick(now);
        for (Integer g : new ArrayList<>(outputs.keySet())) {
            render(g, now);
        }
        settle(now);
        tableHealth(now);
        for (Entry e : new ArrayList<>(book.values())) {
            if (e.suppressed || e.latest.sameAs(e.published)) {
                continue;
            }
            if (e.published == null || e.latest.count() > e.published.count()) {
                publish(e, now);
            } else {
                listener.revised(e.latest);
            }
        }
        grown.clear();
    }

    /** The table is full: the least recently updated group goes (published first if it changed). */
    @Override
    public void makeRoom() {
        int g = problems.leastRecentGroup();
        if (g >= 0) {
            remove(g, lastTime, true);
        }
    }

    // ---- groups ----

    private void render(int g, long now) {
        List<String> before = outputs.remove(g);
        if (!problems.groupInUse(g)) {
            return; // removed after it was queued
        }
        renders++;
        List<Diagnosis> rendered = verdicts.render(g);
        List<String> keys = new ArrayList<>(rendered.size());
        for (Diagnosis d : rendered) {
            keys.add(d.key());
        }
        if (before != null) {
            Set<String> still = new HashSet<>(keys);
            for (String k : before) {
                if (!still.contains(k)) {
                    drop(k, false);
                }
            }
        }
        for (Diagnosis d : rendered) {
            upsert(d, now);
        }
        if (!keys.isEmpty()) {
            outputs.put(g, keys);
        }
    }

    /** Retires (or evicts) a group: its final state published, its diagnoses handed over as retired. */
    private void remove(int g, long now, boolean evicted) {
        render(g, now);
        List<String> keys = outputs.remove(g);
        if (keys != null) {
            for (String k : keys) {
                Entry e = book.get(k);
                if (e != null && grown.remove(e)) {
                    publish(e, now);
                }
                drop(k, true);
            }
        }
        problems.removeGroup(g, evicted);
    }

    // ---- entries ----

    private void upsert(Diagnosis d, long now) {
        Entry e = book.get(d.key());
        if (e == null) {
            e = new Entry();
            book.put(d.key(), e);
        }
        e.latest = d;
        if (d.kind().rule().foldsByClient() && d.client() != null && d.server() != null) {
            ClientGroup cg = clientGroups.computeIfAbsent(Folding.clientKey(d.kind(), d.client().ip()), ClientGroup::new);
            cg.members.put(d.key(), e);
            e.clientGroup = cg;
            unsettled.add(cg);
        } else if (d.kind() == Kind.HOST_DOWN && d.server() != null) {
            hostsDown.put(d.key(), e);
            e.hostDown = true;
            hostsDownUnsettled = true;
        } else {
            offer(e, now);
        }
    }

    /** Publishes a new diagnosis now, a recurred one when due. */
    private void offer(Entry e, long now) {
        e.suppressed = false;
        if (e.published == null) {
            publish(e, now);
        } else if (e.latest.count() > e.published.count()) {
            if (now - e.publishedAt >= settings.repeatNanos()) {
                grown.remove(e);
                publish(e, now);
            } else {
                grown.add(e);
            }
        }
    }

    private void publish(Entry e, long now) {
        e.published = e.latest;
        e.publishedAt = now;
        published++;
        listener.diagnosis(e.latest);
    }

    /** Hides an entry's publication (a fold or the cap took it over). */
    private void suppress(Entry e) {
        e.suppressed = true;
        grown.remove(e);
        if (e.published != null) {
            listener.withdrawn(e.published);
            e.published = null;
        }
    }

    /** An entry leaves: replaced by another verdict ({@code retired} false) or aged out with its group. */
    private void drop(String key, boolean retired) {
        Entry e = book.remove(key);
        if (e == null) {
            return;
        }
        grown.remove(e);
        if (e.clientGroup != null) {
            e.clientGroup.members.remove(key);
            e.clientGroup.lostToRetirement |= retired;
            unsettled.add(e.clientGroup);
        }
        if (e.hostDown) {
            hostsDown.remove(key);
            hostsDownUnsettled = true;
        }
        if (e.published != null) {
            if (retired) {
                listener.retired(e.latest);
            } else {
                listener.withdrawn(e.published);
            }
        }
    }

    // ---- across groups ----

    private void settle(long now) {
        for (ClientGroup cg : unsettled) {
            settle(cg, now);
        }
        unsettled.clear();
        if (hostsDownUnsettled) {
            hostsDownUnsettled = false;
            settleHostsDown(now);
        }
    }

    /** Folds a client's diagnoses of one kind when they name more than the limit of servers. */
    private void settle(ClientGroup cg, long now) {
        Set<String> servers = new HashSet<>();
        for (Entry m : cg.members.values()) {
            servers.add(m.latest.server().ip());
        }
        if (servers.size() > settings.maxServersPerClient()) {
            List<Diagnosis> members = new ArrayList<>(cg.members.size());
            for (Entry m : cg.members.values()) {
                suppress(m);
                members.add(m.latest);
            }
            if (cg.folded == null) {
                cg.folded = new Entry();
                book.put(cg.key, cg.folded);
            }
            cg.folded.latest = Folding.byClient(members);
            offer(cg.folded, now);
            return;
        }
        if (cg.folded != null) {
            drop(cg.key, cg.members.isEmpty() && cg.lostToRetirement);
            cg.folded = null;
        }
        for (Entry m : cg.members.values()) {
            offer(m, now);
        }
        if (cg.members.isEmpty()) {
            clientGroups.remove(cg.key);
        }
    }

    /** Lists the first hosts down decided, up to the limit; one line counts the others. */
    private void settleHostsDown(long now) {
        int listed = 0;
        for (Entry e : hostsDown.values()) {
            if (listed++ < settings.maxHostDown()) {
                offer(e, now);
            } else {
                suppress(e);
            }
        }
        int more = Math.max(0, hostsDown.size() - settings.maxHostDown());
        if (more > 0) {
            Diagnosis d = HOST_DOWN.more(more, settings.maxHostDown(), now);
            if (moreHostsDown == null) {
                moreHostsDown = new Entry();
                book.put(d.key(), moreHostsDown);
            }
            moreHostsDown.latest = d;
            offer(moreHostsDown, now);
        } else if (moreHostsDown != null) {
            drop(moreHostsDown.latest.key(), true);
            moreHostsDown = null;
        }
    }

    /** A {@code table_full} for every table whose evictions grew. */
    private void tableHealth(long now) {
        Instant t = ProblemRule.time(now);
        table(new TableFull.Evidence("connections", tracker.connections().capacity(), tracker.connections().evictions(),
                tracker.connections().evictedUnanswered(), -1), t, now);
        table(new TableFull.Evidence("servers", tracker.servers().capacity(), tracker.servers().evictions(), -1, -1), t, now);
        table(new TableFull.Evidence("arp", tracker.arp().capacity(), tracker.arp().evictions(), -1, -1), t, now);
        table(new TableFull.Evidence("dns", tracker.dns().capacity(), tracker.dns().evictions(), -1, -1), t, now);
        table(new TableFull.Evidence("dhcp-devices", tracker.dhcp().devices().capacity(),
                tracker.dhcp().devices().evictions(), -1, -1), t, now);
        table(new TableFull.Evidence("dhcp-servers", tracker.dhcp().servers().capacity(),
                tracker.dhcp().servers().evictions(), -1, -1), t, now);
        table(new TableFull.Evidence("gateways", tracker.dhcp().gateways().capacity(),
                tracker.dhcp().gateways().evictions(), -1, -1), t, now);
        table(new TableFull.Evidence(TableFull.PROBLEMS, problems.capacity(), problems.evictedProblems(), -1,
                problems.unrecorded()), t, now);
    }

    private void table(TableFull.Evidence e, Instant t, long now) {
        long count = e.evictions() + Math.max(0, e.unrecorded());
        if (count == 0 || tableCounts.getOrDefault(e.table(), 0L) == count) {
            return;
        }
        tableCounts.put(e.table(), count);
        upsert(TABLE_FULL.diagnosis(e, t), now);
    }
}
