package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.switchboard.testkit.server.SwarmApiClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short request cannot make a setting huge: a JSON number sent for a text setting is never expanded past 100
 * digits (a 110-byte {@code 1e100000000} once became a 100 MB {@code backends.json}), and no text setting takes
 * more than its schema's maximum length. Refused requests change nothing on disk.
 */
final class SettingValueBoundsIT {
    @TempDir
    Path data;

    @Test
    void aShortNumberOrALongTextIsRefusedAndNothingIsWritten() throws Exception {
        try (TestServer server = TestServer.start(data)) {
            SwarmApiClient api = server.client();
            api.call("AddNewBackend", "{\"type_id\":\"comfyui_selfstart\"}");
            byte[] before = Files.readAllBytes(data.resolve("backends.json"));

            for (String number : new String[] {"1e100000000", "1e999999999"}) {
                JsonObject refused = api.call("EditBackend",
                        "{\"backend_id\":0,\"title\":\"t\",\"settings\":{\"ExtraArgs\":" + number + "}}");
                assertThat(refused.get("error").getAsString()).isEqualTo("Invalid value " + number
                        + " for setting 'ExtraArgs': a number with more than 100 digits cannot be written as text;"
                        + " send the text as a JSON string.");
            }
            JsonObject tooLong = api.call("EditBackend", "{\"backend_id\":0,\"title\":\"t\",\"settings\":{"
                    + "\"ExtraArgs\":\"" + "a".repeat(8193) + "\"}}");
            assertThat(tooLong.get("error").getAsString()).isEqualTo("Invalid value \"" + "a".repeat(56)
                    + "... for setting 'ExtraArgs': it is 8193 characters long, at most 8192 are allowed.");

            assertThat(Files.readAllBytes(data.resolve("backends.json"))).isEqualTo(before);
            assertThat(api.call("ListBackends").toString().length()).isLessThan(4096);
            try (Stream<Path> files = Files.list(data)) {
                assertThat(files.map(path -> path.getFileName().toString())).noneMatch(name -> name.contains(".tmp-"));
            }

            JsonObject accepted = api.call("EditBackend", "{\"backend_id\":0,\"title\":\"t\",\"settings\":{"
                    + "\"ExtraArgs\":1e3}}");
            assertThat(accepted.getAsJsonObject("settings").get("ExtraArgs").getAsString()).isEqualTo("1000");
        }
    }
}
