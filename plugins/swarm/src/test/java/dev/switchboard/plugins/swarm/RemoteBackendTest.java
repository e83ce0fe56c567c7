package dev.switchboard.plugins.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonParser;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

final class RemoteBackendTest {

    @Test
    void readsCurrentAndOldListBackendsAnswers() throws Exception {
        List<RemoteBackend> entries = RemoteBackend.parseList("http://r", JsonParser.parseString("""
                {"-1":{"type":"swarmswarmbackend","status":"RUNNING","id":-1,"title":"","features":["a"],
                       "can_load_models":true,"max_usages":3,"current_model":"m.safetensors"},
                 "0":{"type":"comfyui_api","status":"loading","id":"0","title":"old","features":["b",7],
                      "max_usages":1},
                 "2":{"type":"comfyui_api","status":"idle","title":"no id field","can_load_models":"false"}}
                """).getAsJsonObject());
        assertThat(entries).containsExactly(
                new RemoteBackend(-1, "swarmswarmbackend", "running", "", Set.of("a"), true, 3, "m.safetensors"),
                new RemoteBackend(0, "comfyui_api", "loading", "old", Set.of("b", "7"), true, 1, null),
                new RemoteBackend(2, "comfyui_api", "idle", "no id field", Set.of(), false, 1, null));
        assertThat(entries.get(0).isRunning()).isTrue();
        assertThat(entries.get(0).isSwarm()).isTrue();
        assertThat(entries.get(1).isLoading()).isTrue();
    }

    @Test
    void anEntryWithoutAnyIdIsABadAnswer() {
        assertThatThrownBy(() -> RemoteBackend.parseList("http://r", JsonParser.parseString(
                "{\"gpu\":{\"status\":\"running\"}}").getAsJsonObject()))
                .isInstanceOf(RemoteSwarmException.class).hasMessageContaining("without a numeric id");
    }
}
