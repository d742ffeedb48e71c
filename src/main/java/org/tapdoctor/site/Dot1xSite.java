package org.tapdoctor.site;

import org.tapdoctor.track.Dot1xTable;

/**
 * The {@code dot1x} part of the site record: whether an 802.1X authenticator was heard, and how
 * many devices its last outcome let in (EAP-Success) or refused (EAP-Failure): devices, not
 * attempts, so a mistyped password then a success is one client ok. Absent when no authenticator
 * was heard.
 */
public final class Dot1xSite implements SiteSource {
    private static final int EAP_SUCCESS = 3, EAP_FAILURE = 4;
    private final Dot1xTable dot1x;

    public Dot1xSite(Dot1xTable dot1x) {
        this.dot1x = dot1x;
    }

    @Override
    public long siteChanges() {
        return dot1x.changes();
    }

    @Override
    public void addTo(SiteRecord.Builder record, long now) {
        if (dot1x.authenticatorsSeen() == 0) {
            return;
        }
        record.dot1x(new SiteRecord.Dot1x(true, dot1x.devicesWithLastOutcome(EAP_SUCCESS),
                dot1x.devicesWithLastOutcome(EAP_FAILURE)));
    }
}
