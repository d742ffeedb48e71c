package org.tapdoctor.panel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.diagnose.Kind;
import org.tapdoctor.diagnose.Severity;
import org.tapdoctor.diagnose.kinds.LinkState;
import org.tapdoctor.publish.Stats;
import org.tapdoctor.site.SiteRecord;

/**
 * What the panel shows, decided from diagnoses, traffic counters, link states and the button,
 * with no hardware and no clock: every input carries its time, and {@link #tick} moves time on.
 * {@link #state()} is the result: three LEDs, the backlight and the LCD's rows.
 *
 * <p>LEDs: green is lit while frames arrived in the last 10 s and, of the handshakes of the last
 * 60 s, at least one completed (or none was tried); it blinks while frames arrived in the last
 * second. Amber: a warning-severity problem was seen in the last hold period. Red: a critical
 * problem is current, i.e. seen within the hold period (default 60 s); {@code link_down} stays
 * current until its NIC is up again, since a link that stays down is reported only once.
 *
 * <p>Pages: the summary (handshakes ok/failed in the last 60 s and the worst current problem),
 * one page per current problem (critical first, most recent first), the site's pages once a part
 * of the site was seen (the switch port, DHCP and the gateway, the checklist: {@link SitePages}),
 * the links and the network.
 * A short press shows the next page (or only wakes the backlight when it was off); a press held
 * 2 s acknowledges: every problem is cleared (a problem that recurs comes back). With no press for
 * 30 s the summary comes back; the backlight goes off 5 min after the last press or new critical
 * problem. Lines longer than the display scroll (500 ms per character, the start held 2 s, counted
 * from when the line's text appeared).
 *
 * <p>Caveats: not thread-safe, one owner (the panel thread, or a test). Times are any monotonic
 * nanosecond scale, the same for every call; inputs may come in any order, expiry is decided at
 * {@link #tick}.
 */
public final class PanelModel {
    static final long SECOND = 1_000_000_000L;
    /** The default of {@code panel.hold}. */
    public static final long DEFAULT_HOLD_NANOS = 60 * SECOND;
    static final long GREEN_QUIET_NANOS = 10 * SECOND;
    static final long ACTIVITY_NANOS = SECOND;
    static final long RATE_WINDOW_NANOS = 60 * SECOND;
    static final long LONG_PRESS_NANOS = 2 * SECOND;
    static final long IDLE_RETURN_NANOS = 30 * SECOND;
    static final long BACKLIGHT_NANOS = 300 * SECOND;
    static final long SCROLL_STEP_NANOS = 500_000_000L;
    static final int SCROLL_HOLD_STEPS = 4;
    private static final int SAMPLES = 128;

    /** A current problem: the latest diagnosis for its key, and when it was last seen. */
    private record Problem(String key, Diagnosis diagnosis, long seenNanos) {
    }

    private final LcdSize lcd;
    private final long holdNanos;
    private final Map<String, Problem> problems = new LinkedHashMap<>();
    private long lastWarningNanos = Long.MIN_VALUE / 2;

    // traffic samples, at least 1 s apart: cumulative frames, handshakes ok and failed
    private final long[] sampleTime = new long[SAMPLES];
    private final long[] sampleOk = new long[SAMPLES];
    private final long[] sampleFailed = new long[SAMPLES];
    private int samples;
    private int newest = -1;
    private long frames = -1, ok, failed;
    private long lastTrafficNanos = Long.MIN_VALUE / 2;

    private List<String> nics = List.of();
    private List<String> linkStates = List.of();
    private String managementIp;
    private String deviceId;
    private Boolean mqtt;
    private SiteRecord site;

    private long now;
    private String pageKey = "summary";
    private long lastPressNanos;
    private long lastWakeNanos;
    private long buttonDownNanos = -1;
    private boolean longPressDone;
    private long shortPresses;
    private long longPresses;
    private final String[] rowText;
    private final long[] rowSince;

    /**
     * @param lcd the display's size
     * @param holdNanos how long a problem stays current after it was last seen (red and amber)
     * @param startNanos the time now (the backlight is on at start)
     */
    public PanelModel(LcdSize lcd, long holdNanos, long startNanos) {
        this.lcd = Objects.requireNonNull(lcd, "lcd");
        if (holdNanos <= 0) {
            throw new IllegalArgumentException("hold must be positive: " + holdNanos);
        }
        this.holdNanos = holdNanos;
        this.now = startNanos;
        this.lastPressNanos = startNanos;
        this.lastWakeNanos = startNanos;
        this.rowText = new String[lcd.rows()];
        this.rowSince = new long[lcd.rows()];
    }

    public LcdSize lcd() {
        return lcd;
    }

    // ---- inputs ----

    /** A diagnosis was published. Problems are keyed by kind, server and NIC: a newer one replaces its count. */
    public void diagnosis(Diagnosis d, long nowNanos) {
        if (d.evidence() instanceof LinkState l) {
            link(l.nic(), l.state());
        }
        if (d.kind() == Kind.LINK_UP) {
            problems.remove(key(Kind.LINK_DOWN, d));
            return;
        }
        if (d.severity() == Severity.INFO) {
            return;
        }
        String key = key(d.kind(), d);
        Problem before = problems.put(key, new Problem(key, d, nowNanos));
        if (d.severity() == Severity.CRITICAL && before == null) {
            lastWakeNanos = Math.max(lastWakeNanos, nowNanos);
        }
        if (d.severity() == Severity.WARNING) {
            lastWarningNanos = Math.max(lastWarningNanos, nowNanos);
        }
    }

    /** A later verdict replaced {@code d} (a no_response that became port_blocked): its page goes. */
    public void withdrawn(Diagnosis d) {
        problems.remove(key(d.kind(), d));
    }

    /** Cumulative counters: frames seen, handshakes completed and failed (totals since start). */
    public void traffic(long nowNanos, long framesTotal, long okTotal, long failedTotal) {
        if (frames >= 0 ? framesTotal > frames : framesTotal > 0) {
            lastTrafficNanos = nowNanos;
        }
        frames = framesTotal;
        ok = okTotal;
        failed = failedTotal;
        if (newest < 0 || nowNanos - sampleTime[newest] >= SECOND) {
            newest = (newest + 1) % SAMPLES;
            samples = Math.min(samples + 1, SAMPLES);
            sampleTime[newest] = nowNanos;
            sampleOk[newest] = okTotal;
            sampleFailed[newest] = failedTotal;
        }
    }

    /** Periodic stats: the tap ports' names (side A first) and link states. */
    public void stats(Stats s) {
        List<String> names = new ArrayList<>(), states = new ArrayList<>();
        for (Stats.Nic n : s.nics()) {
            names.add(n.name());
            states.add(n.link());
        }
        nics = List.copyOf(names);
        linkStates = List.copyOf(states);
    }

    /** The tap ports (side A first), before any stats arrive. */
    public void nics(List<String> names) {
        if (!names.equals(nics)) {
            nics = List.copyOf(names);
            List<String> states = new ArrayList<>();
            names.forEach(n -> states.add("?"));
            linkStates = states;
        }
    }

    /** One NIC's link state, as {@code up 1G full}, {@code down} or {@code missing}. */
    public void link(String nic, String state) {
        int i = nics.indexOf(nic);
        if (i >= 0) {
            List<String> states = new ArrayList<>(linkStates);
            states.set(i, state);
            linkStates = List.copyOf(states);
        }
    }

    /** The management address and the device id shown on the network page (null: unknown). */
    public void network(String ip, String id) {
        managementIp = ip;
        deviceId = id;
    }

    /** The site record changed: its pages (switch, DHCP and gateway, the checklist) appear once a part was seen. */
    public void site(SiteRecord record) {
        site = record;
    }

    /** Whether MQTT is connected; null when MQTT is not configured. */
    public void mqtt(Boolean connected) {
        mqtt = connected;
    }

    /** The button went down ({@code pressed}) or up. */
    public void button(boolean pressed, long nowNanos) {
        if (pressed) {
            if (buttonDownNanos < 0) {
                buttonDownNanos = nowNanos;
                longPressDone = false;
            }
        } else if (buttonDownNanos >= 0) {
            boolean shortPress = !longPressDone && nowNanos - buttonDownNanos < LONG_PRESS_NANOS;
            buttonDownNanos = -1;
            if (shortPress) {
                shortPresses++;
                boolean wasDark = !backlightAt(nowNanos);
                lastPressNanos = nowNanos;
                lastWakeNanos = Math.max(lastWakeNanos, nowNanos);
                if (!wasDark) {
                    nextPage(nowNanos);
                }
            } else if (!longPressDone) {
                longPress(nowNanos);
            }
        }
    }

    /** Moves time on: expiry, long press, idle return, backlight. */
    public void tick(long nowNanos) {
        now = nowNanos;
        if (buttonDownNanos >= 0 && !longPressDone && nowNanos - buttonDownNanos >= LONG_PRESS_NANOS) {
            longPress(nowNanos);
        }
        problems.values().removeIf(p -> !current(p, nowNanos));
        if (!pageKey.equals("summary") && nowNanos - lastPressNanos >= IDLE_RETURN_NANOS && buttonDownNanos < 0) {
            show("summary", nowNanos);
        }
        List<String> keys = pageKeys();
        if (!keys.contains(pageKey)) {
            show("summary", nowNanos);
        }
        List<String> text = pageText(pageKey, keys.size());
        for (int r = 0; r < rowText.length; r++) {
            String t = r < text.size() ? text.get(r) : "";
            if (!t.equals(rowText[r])) {
                rowText[r] = t;
                rowSince[r] = nowNanos;
            }
        }
    }

    private void longPress(long nowNanos) {
        longPressDone = true;
        longPresses++;
        acknowledge(nowNanos);
    }

    /**
     * What the 2 s press does, asked for another way (the remote {@code ack}): every problem is
     * cleared (one that recurs comes back), the summary shown, the backlight woken. Not counted as a press.
     */
    public void acknowledge(long nowNanos) {
        problems.clear();
        lastWarningNanos = Long.MIN_VALUE / 2;
        lastPressNanos = nowNanos;
        lastWakeNanos = Math.max(lastWakeNanos, nowNanos);
        show("summary", nowNanos);
    }

    /** Short presses so far (each decided when the button came up before 2 s). */
    public long shortPresses() {
        return shortPresses;
    }

    /** Long presses so far (each decided when the button had been held 2 s). */
    public long longPresses() {
        return longPresses;
    }

    private void nextPage(long nowNanos) {
        List<String> keys = pageKeys();
        int i = keys.indexOf(pageKey);
        show(keys.get((i + 1) % keys.size()), nowNanos);
    }

    private void show(String key, long nowNanos) {
        pageKey = key;
    }

    private boolean current(Problem p, long nowNanos) {
        if (p.diagnosis.evidence() instanceof LinkState l) {
            int i = nics.indexOf(l.nic());
            return i < 0 || !linkStates.get(i).startsWith("up");
        }
        return nowNanos - p.seenNanos < holdNanos;
    }

    private boolean backlightAt(long nowNanos) {
        return nowNanos - lastWakeNanos < BACKLIGHT_NANOS;
    }

    // ---- outputs ----

    /** The panel as of the last {@link #tick}; a line that does not fit scrolls from the time its text appeared. */
    public PanelState state() {
        List<String> keys = pageKeys();
        int page = Math.max(0, keys.indexOf(pageKey));
        List<String> rows = new ArrayList<>(lcd.rows());
        for (int r = 0; r < lcd.rows(); r++) {
            String t = rowText[r] == null ? "" : rowText[r];
            rows.add(fit(t, lcd.columns(), Math.max(0, (now - rowSince[r]) / SCROLL_STEP_NANOS)));
        }
        String name = keys.get(page).startsWith("problem:") ? "problem" : keys.get(page);
        return new PanelState(green(), amber(), red(), backlightAt(now), rows, page + 1, keys.size(), name);
    }

    Led green() {
        if (now - lastTrafficNanos >= GREEN_QUIET_NANOS) {
            return Led.OFF;
        }
        long[] window = window();
        if (window[0] == 0 && window[1] > 0) {
            return Led.OFF;
        }
        return now - lastTrafficNanos < ACTIVITY_NANOS ? Led.BLINK : Led.ON;
    }

    Led amber() {
        return now - lastWarningNanos < holdNanos ? Led.ON : Led.OFF;
    }

    Led red() {
        return problems.values().stream().anyMatch(p -> p.diagnosis.severity() == Severity.CRITICAL) ? Led.ON : Led.OFF;
    }

    /** Handshakes completed and failed in the last 60 s (since the first sample when younger). */
    long[] window() {
        if (samples == 0) {
            return new long[] {0, 0};
        }
        int base = -1;
        for (int k = 0; k < samples; k++) {
            int i = Math.floorMod(newest - k, SAMPLES);
            base = i;
            if (sampleTime[i] <= now - RATE_WINDOW_NANOS) {
                break;
            }
        }
        return new long[] {ok - sampleOk[base], failed - sampleFailed[base]};
    }

    private List<Problem> sortedProblems() {
        List<Problem> list = new ArrayList<>(problems.values());
        list.sort(Comparator.comparing((Problem p) -> p.diagnosis.severity())
                .thenComparing(Comparator.comparingLong((Problem p) -> p.seenNanos).reversed())
                .thenComparing(Problem::key));
        return list;
    }

    private List<String> pageKeys() {
        List<String> keys = new ArrayList<>();
        keys.add("summary");
        sortedProblems().forEach(p -> keys.add("problem:" + p.key));
        if (site != null && !site.isEmpty()) {
            if (site.switchPort() != null || !site.switches().isEmpty()) {
                keys.add("switch");
            }
            if (site.dhcp() != null || site.gateway() != null) {
                keys.add("dhcp");
            }
            keys.add("checks");
        }
        keys.add("links");
        keys.add("network");
        return keys;
    }

    private List<String> pageText(String key, int pages) {
        if (key.equals("summary")) {
            return summary(pages);
        }
        if (key.equals("links")) {
            return links();
        }
        if (key.equals("network")) {
            return network();
        }
        if (key.equals("switch")) {
            return SitePages.switchPort(site, lcd);
        }
        if (key.equals("dhcp")) {
            return SitePages.dhcp(site, lcd);
        }
        if (key.equals("checks")) {
            return SitePages.checks(siteChecks(), lcd);
        }
        Problem p = problems.get(key.substring("problem:".length()));
        Diagnosis d = p.diagnosis;
        return List.of(ProblemText.title(d), ProblemText.detail(d), ProblemText.seen(d, now - p.seenNanos),
                ProblemText.origin(d));
    }

    /** The record's checklist with the current problems: a current dhcp_failure fails DHCP, and so on. */
    SiteRecord.Checks siteChecks() {
        java.util.Set<String> kinds = new java.util.HashSet<>();
        boolean gatewayDown = false;
        String gateway = site.gateway() == null ? null : site.gateway().ip();
        for (Problem p : problems.values()) {
            kinds.add(p.diagnosis.kind().label());
            gatewayDown |= p.diagnosis.kind() == Kind.HOST_DOWN && gateway != null && p.diagnosis.server() != null
                    && gateway.equals(p.diagnosis.server().ip());
        }
        return site.checks().withProblems(kinds, gatewayDown);
    }

    private List<String> summary(int pages) {
        long[] w = window();
        List<Problem> list = sortedProblems();
        String worst;
        if (!list.isEmpty()) {
            worst = ProblemText.title(list.get(0).diagnosis);
        } else if (frames <= 0) {
            worst = "no traffic yet";
        } else {
            worst = "no problems";
        }
        long critical = list.stream().filter(p -> p.diagnosis.severity() == Severity.CRITICAL).count();
        return List.of("ok/m " + w[0] + " fail " + w[1], worst,
                critical + " critical " + (list.size() - critical) + " warn", "page 1/" + pages + " press>");
    }

    private List<String> links() {
        if (nics.isEmpty()) {
            return List.of("links: none", "(capture file)");
        }
        List<String> rows = new ArrayList<>();
        if (lcd.columns() >= 18) {
            StringBuilder states = new StringBuilder(), names = new StringBuilder();
            for (int i = 0; i < nics.size(); i++) {
                String side = i == 0 ? "A" : "B";
                states.append(i == 0 ? "" : "  ").append(side).append(' ').append(shortLink(linkStates.get(i)));
                names.append(i == 0 ? "" : " ").append(side).append('=').append(nics.get(i));
            }
            rows.add(states.toString());
            rows.add(names.toString());
        } else {
            for (int i = 0; i < nics.size(); i++) {
                String left = (i == 0 ? "A " : "B ") + shortLink(linkStates.get(i));
                String name = nics.get(i);
                int gap = lcd.columns() - left.length() - name.length();
                rows.add(gap >= 1 ? left + " ".repeat(gap) + name : left + " " + name);
            }
        }
        return rows;
    }

    /** {@code up 1G full} becomes {@code 1G up}; {@code down}, {@code missing} stay. */
    static String shortLink(String link) {
        if (link == null || link.isEmpty()) {
            return "?";
        }
        String[] w = link.split(" ");
        if (w[0].equals("up")) {
            return w.length > 1 ? w[1] + " up" + (w.length > 2 && w[2].equals("half") ? " half" : "") : "up";
        }
        return w[0];
    }

    private List<String> network() {
        String ip = "IP " + (managementIp == null ? "none" : managementIp);
        String id = deviceId == null ? "?" : deviceId;
        String m = mqtt == null ? "off" : mqtt ? "up" : "DOWN";
        if (lcd.rows() >= 3) {
            String mq = mqtt == null ? "MQTT off" : mqtt ? "MQTT connected" : "MQTT DISCONNECTED";
            return List.of(ip, mq, "id " + id);
        }
        return List.of(ip, "MQTT " + m + " " + id);
    }

    /** Pads to the width, or scrolls a longer line: the start held {@link #SCROLL_HOLD_STEPS} steps, then one character per step. */
    static String fit(String line, int width, long step) {
        if (line.length() <= width) {
            return line + " ".repeat(width - line.length());
        }
        String loop = line + "   ";
        long p = step % (loop.length() + SCROLL_HOLD_STEPS);
        int off = (int) Math.max(0, p - SCROLL_HOLD_STEPS);
        return (loop + loop).substring(off, off + width);
    }

    /** Problems are one page per kind and address (a server, or the box's own NIC). */
    private static String key(Kind kind, Diagnosis d) {
        return kind.label() + " " + d.kind().rule().where(d);
    }
}
