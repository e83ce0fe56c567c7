package dev.switchboard.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.switchboard.server.sessions.Permission;
import dev.switchboard.server.sessions.SessionService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Quick routes run on the I/O thread that read the request; the others on a worker thread. */
class QuickRouteTest {

    @Test
    void aQuickRouteRunsOnTheIoThreadAndOthersOnAWorker() throws Exception {
        SessionService sessions = new SessionService();
        String session = sessions.create("local").id();
        Set<ApiRoute> routes = Set.of(new ThreadNameRoute("Quick", true), new ThreadNameRoute("Blocking", false));
        try (ApiServer server = new ApiServer(new HttpOptions("127.0.0.1", 0, 1024), routes, sessions)) {
            server.start();

            assertThat(call(server, "Quick", session)).contains("I/O");
            assertThat(call(server, "Blocking", session)).doesNotContain("I/O").contains("task");
        }
    }

    private static String call(ApiServer server, String route, String session) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/API/" + route))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"session_id\":\"" + session + "\"}"))
                .build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    /** Answers with the name of the thread it ran on. */
    private record ThreadNameRoute(String name, boolean quick) implements ApiRoute {
        @Override
        public Permission permission() {
            return Permission.VIEW_BACKENDS_LIST;
        }

        @Override
        public JsonObject handle(ApiCall call) {
            JsonObject result = new JsonObject();
            result.addProperty("thread", Thread.currentThread().getName());
            return result;
        }
    }
}
