package dev.switchboard.server.routes.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.switchboard.server.backends.BackendManager;
import dev.switchboard.server.backends.LifecycleOptions;
import dev.switchboard.server.backends.ServerIdentity;
import dev.switchboard.server.http.ApiCall;
import dev.switchboard.server.http.ApiJson;
import dev.switchboard.server.plugins.BackendTypeRegistry;
import dev.switchboard.server.plugins.PluginCallRunner;
import dev.switchboard.server.sessions.CallerResolver;
import dev.switchboard.server.sessions.SessionService;
import dev.switchboard.server.store.BackendStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GetNewSessionRouteTest {
    @TempDir
    Path data;

    /** The hand-written answer is byte for byte what the JSON tree gives, whichever users come and go. */
    @Test
    void theWrittenAnswerIsExactlyTheTreesText() throws Exception {
        try (BackendStore store = BackendStore.open(data); PluginCallRunner runner = new PluginCallRunner();
             BackendManager backends = new BackendManager(store, BackendTypeRegistry.of(List.of()), runner,
                     new ServerIdentity("server \"1\"", "0.1.0-test"), LifecycleOptions.defaults(),
                     data.resolve("backends"))) {
            backends.start();
            SessionService sessions = new SessionService();
            GetNewSessionRoute route = new GetNewSessionRoute(sessions, CallerResolver.SINGLE_USER, backends.registry(),
                    new ServerIdentity("server \"1\"", "0.1.0-test"));
            List<Map<String, String>> callers = List.of(Map.of(), Map.of("X-SWARM-USER_ID", "alice"), Map.of(),
                    Map.of("x-swarm-user_id", "b\u00f6b \"the </script> user\"\u2028"), Map.of("X-SWARM-USER_ID", " "),
                    Map.of("X-SWARM-USER_ID", "alice"));
            for (Map<String, String> headers : callers) {
                ApiCall call = new ApiCall(new JsonObject(), Optional.empty(), headers);
                String written = route.handleToJson(call).toString();
                JsonObject tree = route.handle(call);
                String id = JsonParser.parseString(written).getAsJsonObject().get("session_id").getAsString();
                tree.addProperty("session_id", id);

                assertThat(written).isEqualTo(ApiJson.write(tree));
                assertThat(sessions.find(id)).isPresent();
            }
        }
    }
}
