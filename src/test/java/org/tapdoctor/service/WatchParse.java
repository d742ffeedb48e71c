package org.tapdoctor.service;

import java.util.Map;

/** The watch command's flat JSON reader, for tests in other packages. */
public final class WatchParse {
    private WatchParse() {
    }

    public static Map<String, Object> parse(String json) {
        return WatchCommand.parse(json);
    }
}
