package dev.switchboard.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.switchboard.server.sessions.Session;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class ApiCallTest {

    private static ApiCall call(String json) {
        return new ApiCall(JsonParser.parseString(json).getAsJsonObject(), Optional.empty(), Map.of());
    }

    private static String invalid(String raw, String name, String type) {
        return "Invalid value '" + raw + "' for parameter '" + name + "', must be type '" + type + "'";
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "5            | 5",
        "'5'          | 5",
        "' 5 '        | 5",
        "5.0          | 5",
        "'+5'         | 5",
        "-7           | -7",
        "'-7'         | -7",
        "'\\t9\\n'    | 9",
        "'007'        | 7",
        "1e2          | 100",
        "2147483647   | 2147483647",
        "-2147483648  | -2147483648",
        "'-0'         | 0",
        "-0.0         | 0",
    })
    void convertsInt32(String jsonValue, int expected) {
        assertThat(call("{\"backend_id\": " + jsonValue.replace('\'', '"') + "}").requiredInt("backend_id"))
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> ''{1}''")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "5.5                | 5.5",
        "'5.5'              | 5.5",
        "3.5                | 3.5",
        "true               | True",
        "false              | False",
        "null               | ``",
        "''                 | ``",
        "'   '              | `   `",
        "2147483648         | 2147483648",
        "-2147483649        | -2147483649",
        "99999999999999999999999 | 99999999999999999999999",
        "'x'                | x",
        "'1,000'            | 1,000",
        "'5 5'              | 5 5",
        "'+-5'              | +-5",
        "'0x10'             | 0x10",
        "1e20               | 1E+20",
        "1.5e-5             | 1.5E-05",
        "0.00001            | 1E-05",
        "1e15               | 1E+15",
        "[]                 | []",
        "{}                 | {}",
    })
    void refusesInt32WithTheTokenTextInTheMessage(String jsonValue, String raw) {
        ApiCall call = call("{\"backend_id\": " + jsonValue.replace('\'', '"') + "}");

        assertThatThrownBy(() -> call.requiredInt("backend_id"))
                .isInstanceOf(ApiParameterException.class)
                .hasMessage(invalid(raw, "backend_id", "Int32"));
    }

    @Test
    void quotesObjectsAndArraysAsIndentedJson() {
        ApiCall call = call("{\"backend_id\": {\"a\": 1}, \"list\": [1, 2],"
                + " \"deep\": {\"a\": 3.0, \"b\": [1.5, \"x\\\"y\", null, true], \"c\": {}, \"d\": [], \"e\": 1e20}}");

        assertThatThrownBy(() -> call.requiredInt("backend_id"))
                .hasMessage(invalid("{\n  \"a\": 1\n}", "backend_id", "Int32"));
        assertThatThrownBy(() -> call.requiredBool("list"))
                .hasMessage(invalid("[\n  1,\n  2\n]", "list", "Boolean"));
        assertThat(call.requiredString("deep")).isEqualTo("""
                {
                  "a": 3.0,
                  "b": [
                    1.5,
                    "x\\"y",
                    null,
                    true
                  ],
                  "c": {},
                  "d": [],
                  "e": 1E+20
                }""");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "true        | true",
        "false       | false",
        "'true'      | true",
        "'TRUE'      | true",
        "'False'     | false",
        "' false '   | false",
        "'\\ttrue\\n' | true",
    })
    void convertsBoolean(String jsonValue, boolean expected) {
        assertThat(call("{\"enabled\": " + jsonValue.replace('\'', '"') + "}").requiredBool("enabled"))
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> ''{1}''")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "1         | 1",
        "0         | 0",
        "1.0       | 1",
        "'yes'     | yes",
        "'1'       | 1",
        "null      | ``",
        "''        | ``",
        "'truex'   | truex",
        "'t rue'   | t rue",
    })
    void refusesBooleanWithTheTokenTextInTheMessage(String jsonValue, String raw) {
        ApiCall call = call("{\"enabled\": " + jsonValue.replace('\'', '"') + "}");

        assertThatThrownBy(() -> call.requiredBool("enabled"))
                .isInstanceOf(ApiParameterException.class)
                .hasMessage(invalid(raw, "enabled", "Boolean"));
    }

    @ParameterizedTest(name = "{0} -> ''{1}''")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "'abc'     | abc",
        "' a b '   | ` a b `",
        "''        | ``",
        "5         | 5",
        "-12       | -12",
        "3.0       | 3",
        "0.5       | 0.5",
        "1e2       | 100",
        "true      | True",
        "false     | False",
        "null      | ``",
        "{}        | {}",
        "[]        | []",
    })
    void convertsStringsThroughTheTextForm(String jsonValue, String expected) {
        assertThat(call("{\"title\": " + jsonValue.replace('\'', '"') + "}").requiredString("title"))
                .isEqualTo(expected);
    }

    @Test
    void missingParametersNameTheParameter() {
        ApiCall call = call("{\"Backend_ID\": 3, \"other\": 1}");

        assertThatThrownBy(() -> call.requiredInt("backend_id"))
                .isInstanceOf(ApiParameterException.class)
                .hasMessage("Missing required parameter 'backend_id'");
        assertThatThrownBy(() -> call.requiredBool("enabled"))
                .hasMessage("Missing required parameter 'enabled'");
        assertThatThrownBy(() -> call.requiredString("type_id"))
                .hasMessage("Missing required parameter 'type_id'");
    }

    @Test
    void defaultsApplyOnlyWhenTheKeyIsAbsent() {
        ApiCall absent = call("{}");
        assertThat(absent.optionalInt("count", 7)).isEqualTo(7);
        assertThat(absent.optionalBool("full_data", true)).isTrue();
        assertThat(absent.optionalString("backend", "all")).isEqualTo("all");

        ApiCall present = call("{\"count\": \"8\", \"full_data\": \"FALSE\", \"backend\": 4}");
        assertThat(present.optionalInt("count", 7)).isEqualTo(8);
        assertThat(present.optionalBool("full_data", true)).isFalse();
        assertThat(present.optionalString("backend", "all")).isEqualTo("4");

        ApiCall nulls = call("{\"count\": null, \"full_data\": null, \"backend\": null}");
        assertThatThrownBy(() -> nulls.optionalInt("count", 7)).hasMessage(invalid("", "count", "Int32"));
        assertThatThrownBy(() -> nulls.optionalBool("full_data", true))
                .hasMessage(invalid("", "full_data", "Boolean"));
        assertThat(nulls.optionalString("backend", "all")).isEmpty();
    }

    @Test
    void bodyWithoutSessionIdKeepsEverythingElse() {
        ApiCall call = call("{\"session_id\": \"abc\", \"backend_id\": 4, \"settings\": {\"Address\": \"x\"}}");

        assertThat(call.bodyWithoutSessionId())
                .isEqualTo(JsonParser.parseString("{\"backend_id\": 4, \"settings\": {\"Address\": \"x\"}}"));
        assertThat(call.body().has("session_id")).isTrue();
    }

    @Test
    void callersCannotChangeTheBodyTheyWereGiven() {
        JsonObject original = JsonParser.parseString("{\"a\": {\"b\": 1}}").getAsJsonObject();
        ApiCall call = new ApiCall(original, Optional.empty(), Map.of());

        original.addProperty("added", true);
        call.body().getAsJsonObject("a").addProperty("b", 2);
        call.bodyWithoutSessionId().remove("a");

        assertThat(call.body()).isEqualTo(JsonParser.parseString("{\"a\": {\"b\": 1}}"));
    }

    @Test
    void headersAreFoundIgnoringCase() {
        ApiCall call = new ApiCall(new JsonObject(), Optional.empty(), Map.of("X-SWARM-USER_ID", "alice"));

        assertThat(call.header("x-swarm-user_id")).contains("alice");
        assertThat(call.header("X-Swarm-User_Id")).contains("alice");
        assertThat(call.header("X-Other")).isEmpty();
    }

    @Test
    void exposesTheSession() {
        Session session = new Session("0".repeat(40), "local", List.of("*"));

        assertThat(new ApiCall(new JsonObject(), Optional.of(session), Map.of()).session()).contains(session);
        assertThat(call("{}").session()).isEmpty();
    }
}
