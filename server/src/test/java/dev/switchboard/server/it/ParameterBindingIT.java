package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.switchboard.testkit.server.SwarmApiClient;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Edge case 2 of backend-api-semantics.md section 9: coercion and SwarmUI's parameter messages. */
final class ParameterBindingIT {
    @TempDir
    static Path data;
    static TestServer server;
    static SwarmApiClient api;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(data);
        api = server.client();
        for (int i = 0; i < 4; i++) {
            api.call("AddNewBackend", "{\"type_id\":\"comfyui_api\"}");
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String toggle(String backendId, String enabled) {
        JsonObject result = api.call("ToggleBackend", "{\"backend_id\":" + backendId + ",\"enabled\":" + enabled + "}");
        return result.has("error") ? result.get("error").getAsString() : result.get("result").getAsString();
    }

    @Test
    void integerParametersAcceptSwarmUiForms() {
        assertThat(toggle("3", "false")).isEqualTo("Success.");
        assertThat(toggle("\"3\"", "false")).isEqualTo("No change.");
        assertThat(toggle("\" 3 \"", "false")).isEqualTo("No change.");
        assertThat(toggle("3.0", "false")).isEqualTo("No change.");
        assertThat(toggle("\"+3\"", "false")).isEqualTo("No change.");
    }

    @Test
    void integerParametersRefuseOtherForms() {
        assertThat(toggle("3.5", "true")).isEqualTo("Invalid value '3.5' for parameter 'backend_id', must be type 'Int32'");
        assertThat(toggle("true", "true")).isEqualTo("Invalid value 'True' for parameter 'backend_id', must be type 'Int32'");
        assertThat(toggle("null", "true")).isEqualTo("Invalid value '' for parameter 'backend_id', must be type 'Int32'");
        assertThat(toggle("\"x\"", "true")).isEqualTo("Invalid value 'x' for parameter 'backend_id', must be type 'Int32'");
        assertThat(toggle("2147483648", "true"))
                .isEqualTo("Invalid value '2147483648' for parameter 'backend_id', must be type 'Int32'");
    }

    @Test
    void booleanParameters() {
        assertThat(toggle("2", "\"TRUE\"")).isEqualTo("No change.");
        assertThat(toggle("2", "1")).isEqualTo("Invalid value '1' for parameter 'enabled', must be type 'Boolean'");
        assertThat(toggle("2", "\"yes\"")).isEqualTo("Invalid value 'yes' for parameter 'enabled', must be type 'Boolean'");
    }

    @Test
    void missingParametersInDeclarationOrderAndNamesAreCaseSensitive() {
        assertThat(api.call("ToggleBackend").get("error").getAsString())
                .isEqualTo("Missing required parameter 'backend_id'");
        assertThat(api.call("ToggleBackend", "{\"backend_id\":1}").get("error").getAsString())
                .isEqualTo("Missing required parameter 'enabled'");
        assertThat(api.call("ToggleBackend", "{\"Backend_ID\":1,\"enabled\":true}").get("error").getAsString())
                .isEqualTo("Missing required parameter 'backend_id'");
        assertThat(api.call("ToggleBackend", "{\"backend_id\":1,\"enabled\":true,\"extra\":[1,2]}").get("result")
                .getAsString()).isEqualTo("No change.");
        assertThat(api.call("EditBackend", "{\"backend_id\":1}").get("error").getAsString())
                .isEqualTo("Missing required parameter 'title'");
        assertThat(api.call("AddNewBackend").get("error").getAsString())
                .isEqualTo("Missing required parameter 'type_id'");
    }

    @Test
    void unknownIdsAreRouteErrorsWithHttp200() {
        assertThat(toggle("99", "true")).isEqualTo("Invalid backend ID 99");
        assertThat(api.call("DeleteBackend", "{\"backend_id\":99}").get("result").getAsString())
                .isEqualTo("Already didn't exist.");
    }
}
