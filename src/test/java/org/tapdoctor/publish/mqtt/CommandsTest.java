package org.tapdoctor.publish.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Exactly three commands are accepted, each in one form; everything else is ignored with its reason. */
class CommandsTest {
    static final String P = "tapdoctor/pi4-lab";

    static Commands.Parsed parse(String command, String payload) {
        byte[] b = payload.getBytes(StandardCharsets.UTF_8);
        return Commands.parse(P, P + "/cmd/" + command, b, b.length, false);
    }

    static String why(Commands.Parsed p) {
        return assertInstanceOf(Commands.Ignored.class, p).why();
    }

    @Test
    void shouldAcceptTheThreeCommands() {
        assertEquals(new Commands.Request(Commands.Command.ACK, "c-1", null), parse("ack", "{\"correlation_id\":\"c-1\"}"));
        assertEquals(new Commands.Request(Commands.Command.STATUS, "any text 42", null),
                parse("status", "{\"correlation_id\":\"any text 42\"}"));
        assertEquals(new Commands.Request(Commands.Command.EVIDENCE, "c-3", "pi4-lab-mhz1x2k0-17"),
                parse("evidence", "{\"id\":\"pi4-lab-mhz1x2k0-17\",\"correlation_id\":\"c-3\"}"));
    }

    @Test
    void shouldSkipItsOwnAnswersSilently() {
        assertInstanceOf(Commands.Own.class, parse("response", "{\"correlation_id\":\"c-1\",\"ok\":true}"));
    }

    @Test
    void shouldIgnoreEverythingElseSayingWhy() {
        assertTrue(why(parse("reboot", "{\"correlation_id\":\"c\"}")).startsWith("unknown command 'reboot'"));
        assertTrue(why(parse("ack/now", "{\"correlation_id\":\"c\"}")).startsWith("unknown command"));
        assertTrue(why(parse("", "{\"correlation_id\":\"c\"}")).startsWith("unknown command"));
        assertTrue(why(parse("ack", "ack")).startsWith("not a JSON object"));
        assertTrue(why(parse("ack", "")).startsWith("not a JSON object"));
        assertTrue(why(parse("ack", "[\"c\"]")).startsWith("not a JSON object"));
        assertTrue(why(parse("ack", "{\"correlation_id\":\"c\"} {}")).startsWith("not a JSON object"), "one object");
        assertTrue(why(parse("ack", "{\"correlation_id\":\"c\",\"correlation_id\":\"d\"}")).startsWith("not a JSON"),
                "a field twice");
        assertTrue(why(parse("ack", "{\"correlation_id\":7}")).startsWith("not a JSON object of strings"));
        assertTrue(why(parse("ack", "{}")).startsWith("correlation_id missing"));
        assertTrue(why(parse("ack", "{\"correlation_id\":\"\"}")).startsWith("correlation_id missing"));
        assertTrue(why(parse("ack", "{\"correlation_id\":\"" + "x".repeat(129) + "\"}")).startsWith("correlation_id"));
        assertTrue(why(parse("ack", "{\"correlation_id\":\"tab\\there\"}")).startsWith("correlation_id"));
        assertTrue(why(parse("ack", "{\"correlation_id\":\"c\",\"config\":\"x\"}")).startsWith("unexpected field"));
        assertTrue(why(parse("status", "{\"correlation_id\":\"c\",\"id\":\"x\"}")).startsWith("unexpected field"));
        assertTrue(why(parse("evidence", "{\"correlation_id\":\"c\"}")).startsWith("evidence needs an \"id\""));
        assertTrue(why(parse("evidence", "{\"correlation_id\":\"c\",\"id\":\"../../etc/passwd\"}"))
                .startsWith("evidence needs"), "an id is never a path");
        byte[] latin1 = {'{', '"', 'c', 'o', 'r', 'r', '"', ':', '"', (byte) 0xE9, '"', '}'};
        assertEquals("not UTF-8", why(Commands.parse(P, P + "/cmd/ack", latin1, latin1.length, false)));
    }

    @Test
    void shouldIgnoreOversizedAndRetainedCommands() {
        String big = "{\"correlation_id\":\"" + "x".repeat(Commands.MAX_BYTES) + "\"}";
        assertTrue(why(parse("ack", big)).endsWith("bytes, over 1024"));
        assertEquals("100000 bytes, over 1024", why(Commands.parse(P, P + "/cmd/ack", null, 100_000, false)),
                "the callback does not even keep an oversized payload");
        byte[] ok = "{\"correlation_id\":\"c\"}".getBytes(StandardCharsets.UTF_8);
        assertTrue(why(Commands.parse(P, P + "/cmd/ack", ok, ok.length, true)).startsWith("a retained command"));
        assertTrue(why(Commands.parse(P, "tapdoctor/other/cmd/ack", ok, ok.length, false)).startsWith("not a command topic"));
    }
}
