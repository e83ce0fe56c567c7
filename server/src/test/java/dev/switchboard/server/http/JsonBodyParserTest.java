package dev.switchboard.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The short cut for flat string-valued bodies must read exactly what Gson reads, or leave the body to Gson. */
class JsonBodyParserTest {

    @ParameterizedTest
    @ValueSource(strings = {"{}", " {\t}\r\n", "{\"session_id\":\"0123abcdef\"}", "{ \"a\" : \"b\" , \"c\":\"\" }",
        "{\"\":\"x\"}", "{\"a\":\"1\",\"a\":\"2\",\"b\":\"3\",\"a\":\"4\"}", "{\"k\":\"' /}{[]: ,\u007f\"}"})
    void readsTheCommonFormItselfAndAsGsonDoes(String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);

        JsonObject flat = JsonBodyParser.parseFlatObject(bytes);

        assertThat(flat).isNotNull();
        assertSameMembersInOrder(flat, JsonBodyParser.parseWithGson(bytes));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "[]", "{", "}", "{\"a\":1}", "{\"a\":true}", "{\"a\":null}", "{\"a\":{}}",
        "{\"a\":\"b\",}", "{,}", "{\"a\" \"b\"}", "{\"a\":\"b\"} x", "{\"a\":\"b\"}{}", "{\"a\":\"\\n\"}",
        "{\"a\":\"b\u00e9\"}", "\ufeff{}", "{\"a\":\"b\u0001\"}", "{'a':'b'}", "{a:\"b\"}", "{\"a\":\"b\"",
        "{\"a\":\"b", "{\"a\"", "{\"a\":", "\u000b{}", "{}\u00a0"})
    void leavesEverythingElseToGson(String body) {
        assertThat(JsonBodyParser.parseFlatObject(body.getBytes(StandardCharsets.UTF_8))).isNull();
    }

    /** Random bodies made of JSON's pieces: whenever the short cut answers, Gson accepts the body and agrees. */
    @Test
    void neverDisagreesWithGsonOnRandomBodies() {
        List<String> pieces = List.of("{", "}", "\"", "\"a\"", "\"session_id\"", "\"x y\"", ":", ",", " ", "\t",
                "\n", "\r", "\u000b", "1", "true", "null", "[", "]", "\\", "\\\"", "\u00e9", "\u0000", "\u007f", "/",
                "'", "#", "\"\"");
        Random random = new Random(20261128L);
        int read = 0;
        for (int trial = 0; trial < 200_000; trial++) {
            StringBuilder text = new StringBuilder();
            // Mostly well-formed flat objects with one piece changed, else pieces at random.
            if (random.nextBoolean()) {
                text.append('{');
                int members = random.nextInt(4);
                for (int m = 0; m < members; m++) {
                    text.append(m > 0 ? "," : "").append(pick(pieces, random, "\"k" + random.nextInt(3) + "\""))
                            .append(':').append(pick(pieces, random, "\"v" + m + "\""));
                }
                text.append('}');
            } else {
                int count = random.nextInt(12);
                for (int p = 0; p < count; p++) {
                    text.append(pieces.get(random.nextInt(pieces.size())));
                }
            }
            byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
            JsonObject flat = JsonBodyParser.parseFlatObject(bytes);
            if (flat == null) {
                continue;
            }
            read++;
            try {
                assertSameMembersInOrder(flat, JsonBodyParser.parseWithGson(bytes));
            } catch (MalformedBodyException e) {
                throw new AssertionError("read " + text + " that Gson refuses: " + e.getMessage(), e);
            }
        }
        assertThat(read).as("bodies the short cut read").isGreaterThan(10_000);
    }

    /** Usually the plain string given; else a piece alone, or a string with pieces inside its quotes. */
    private static String pick(List<String> pieces, Random random, String usual) {
        switch (random.nextInt(8)) {
            case 0:
                return pieces.get(random.nextInt(pieces.size()));
            case 1:
            case 2:
                StringBuilder quoted = new StringBuilder("\"");
                for (int i = 1 + random.nextInt(3); i > 0; i--) {
                    quoted.append(pieces.get(random.nextInt(pieces.size())));
                }
                return quoted.append('"').toString();
            default:
                return usual;
        }
    }

    private static void assertSameMembersInOrder(JsonObject actual, JsonObject expected) {
        List<Map.Entry<String, JsonElement>> actualMembers = new ArrayList<>(actual.entrySet());
        List<Map.Entry<String, JsonElement>> expectedMembers = new ArrayList<>(expected.entrySet());
        assertThat(actualMembers).isEqualTo(expectedMembers);
    }
}
