package org.tapdoctor.publish.mqtt;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * The remote commands a box accepts ({@code mqtt.commands=true}), read strictly. A command is
 * the last level of its topic, and its payload a JSON object:
 * <pre>
 *   &lt;prefix&gt;/cmd/ack       {"correlation_id":"c-17"}                     what the panel's long press does
 *   &lt;prefix&gt;/cmd/status    {"correlation_id":"c-18"}                     re-publish status, site and discovery
 *   &lt;prefix&gt;/cmd/evidence  {"correlation_id":"c-19","id":"&lt;diagnosis id&gt;"} re-send that diagnosis's pcap
 * </pre>
 * One topic per command so that the broker's ACLs can give each to different people (who may ask
 * for evidence is not who may acknowledge). Anything else is {@link Ignored} with the reason:
 * another topic, a retained message (it would run again at every reconnection), more than
 * {@link #MAX_BYTES}, not UTF-8, not one JSON object, a missing or unexpected field, a
 * correlation id that is not 1 to 128 printable ASCII characters, an id that is not a diagnosis
 * id's characters. The box's own answers on {@code <prefix>/cmd/response} come back to it through
 * {@code cmd/#}: they are {@link Own}, skipped without a word. Stateless.
 */
final class Commands {
    static final int MAX_BYTES = 1024;
    static final String RESPONSE = "response";
    private static final JsonFactory JSON = new JsonFactory();

    enum Command {
        ACK("ack"), STATUS("status"), EVIDENCE("evidence");

        final String label;

        Command(String label) {
            this.label = label;
        }
    }

    sealed interface Parsed permits Request, Ignored, Own {
    }

    /** A command to carry out; {@code id} is the diagnosis id of {@code evidence}, else null. */
    record Request(Command command, String correlationId, String id) implements Parsed {
    }

    /** Not a command: one log line says why. */
    record Ignored(String why) implements Parsed {
    }

    /** The box's own answer. */
    record Own() implements Parsed {
    }

    private Commands() {
    }

    /**
     * Reads one message that arrived on {@code topic} (under {@code <prefix>/cmd/}) with {@code size}
     * bytes; {@code payload} may be null when the message was over {@link #MAX_BYTES} (not kept).
     */
    static Parsed parse(String prefix, String topic, byte[] payload, int size, boolean retained) {
        String base = prefix + "/cmd/";
        if (!topic.startsWith(base)) {
            return new Ignored("not a command topic");
        }
        String name = topic.substring(base.length());
        if (name.equals(RESPONSE)) {
            return new Own();
        }
        Command command = null;
        for (Command c : Command.values()) {
            if (c.label.equals(name)) {
                command = c;
            }
        }
        if (command == null) {
            return new Ignored("unknown command '" + printable(name) + "' (known: ack, status, evidence)");
        }
        if (retained) {
            return new Ignored("a retained command (it would run at every reconnection)");
        }
        if (payload == null || size > MAX_BYTES) {
            return new Ignored(size + " bytes, over " + MAX_BYTES);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(payload)).toString();
        } catch (CharacterCodingException e) {
            return new Ignored("not UTF-8");
        }
        Map<String, String> fields = fields(text);
        if (fields == null) {
            return new Ignored("not a JSON object of strings");
        }
        String correlation = fields.remove("correlation_id");
        if (correlation == null || !correlation.matches("[\\x20-\\x7e]{1,128}")) {
            return new Ignored("correlation_id missing or not 1 to 128 printable ASCII characters");
        }
        String id = null;
        if (command == Command.EVIDENCE) {
            id = fields.remove("id");
            if (id == null || !id.matches("[A-Za-z0-9._-]{1,128}")) {
                return new Ignored("evidence needs an \"id\": a diagnosis id");
            }
        }
        if (!fields.isEmpty()) {
            return new Ignored("unexpected field(s) " + fields.keySet());
        }
        return new Request(command, correlation, id);
    }

    /** The fields of a flat JSON object whose values are all strings; null when it is anything else. */
    private static Map<String, String> fields(String text) {
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Map<String, String> m = new HashMap<>();
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (p.nextToken() != JsonToken.VALUE_STRING || m.put(name, p.getText()) != null) {
                    return null;
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                return null;
            }
            return m;
        } catch (IOException e) {
            return null;
        }
    }

    /** A topic level as it may go in a log line: printable ASCII, at most 40 characters. */
    static String printable(String s) {
        String clean = s.replaceAll("[^\\x20-\\x7e]", "?");
        return clean.length() > 40 ? clean.substring(0, 40) + "..." : clean;
    }
}
