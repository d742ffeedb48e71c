package org.tapdoctor.panel;

import java.util.List;

/**
 * What the panel shows at one instant: the three LEDs, the backlight and the LCD's rows, each
 * exactly {@code columns} characters. Immutable and thread-safe.
 *
 * @param green traffic seen and handshakes completing
 * @param amber a warning in the last hold period
 * @param red a current critical problem
 * @param backlight whether the LCD backlight is on
 * @param lines the LCD rows, each exactly as wide as the display
 * @param page the page shown, 1-based
 * @param pages how many pages there are now
 * @param pageName {@code summary}, {@code problem}, {@code links} or {@code network}
 */
public record PanelState(Led green, Led amber, Led red, boolean backlight, List<String> lines, int page, int pages,
                         String pageName) {
    public PanelState {
        lines = List.copyOf(lines);
    }
}
