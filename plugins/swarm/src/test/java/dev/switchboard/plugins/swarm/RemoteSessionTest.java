package dev.switchboard.plugins.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import dev.switchboard.api.settings.Secret;
import dev.switchboard.testkit.swarm.OldSwarmStandIn;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

final class RemoteSessionTest {
    private OldSwarmStandIn remote;
    private SwarmHttp http;
    private RemoteSession session;

    @BeforeEach
    void start() {
        remote = OldSwarmStandIn.start();
        remote.putBackend(new OldSwarmStandIn.Backend(0, "comfyui_api", "running", "gpu", List.of(), 1, null));
        http = new SwarmHttp(remote.baseUrl(), RequestHeaders.parse(new Secret("Basic dXNlcjpwYXNz"), "X-A: 1"),
                "Switchboard/test", Duration.ofSeconds(10));
        session = new RemoteSession(http, "our-own-server-id");
    }

    @AfterEach
    void stop() {
        http.close();
        remote.close();
    }

    @Test
    void aForgottenSessionIsReplacedAndTheCallRetriedOnce() throws Exception {
        session.call("ListBackends", new JsonObject());
        remote.forgetSessions();
        JsonObject answer = session.call("ListBackends", new JsonObject());
        assertThat(answer.has("0")).isTrue();
        assertThat(remote.calls()).extracting(OldSwarmStandIn.Call::route).containsExactly("GetNewSession",
                "ListBackends", "ListBackends", "GetNewSession", "ListBackends");
        assertThat(remote.calls()).allSatisfy(call -> {
            assertThat(call.headers()).containsEntry("authorization", "Basic dXNlcjpwYXNz").containsEntry("x-a", "1");
        });
    }

    @Test
    void aSessionRefusedAgainAfterReconnectingIsNotRetriedForever() {
        remote.rejectSessions(true);
        assertThatThrownBy(() -> session.call("ListBackends", new JsonObject()))
                .isInstanceOf(RemoteSwarmException.class).hasMessageContaining("refused a session it had just created");
        assertThat(remote.calls()).extracting(OldSwarmStandIn.Call::route)
                .containsExactly("GetNewSession", "ListBackends", "GetNewSession", "ListBackends");
    }

    @Test
    void anyOtherRemoteErrorIsReportedWithTheAddress() {
        remote.failRoute("ListBackends", "You do not have permission to view backends.");
        assertThatThrownBy(() -> session.call("ListBackends", new JsonObject()))
                .isInstanceOf(RemoteSwarmException.class)
                .hasMessage("Remote Swarm server at " + remote.baseUrl()
                        + " answered: You do not have permission to view backends.")
                .satisfies(e -> assertThat(((RemoteSwarmException) e).kind())
                        .isEqualTo(RemoteSwarmException.Kind.REMOTE_ERROR));
    }

    @Test
    void aRemoteWithOurOwnServerIdIsRefused() {
        remote.serverId("our-own-server-id");
        assertThatThrownBy(() -> session.call("ListBackends", new JsonObject()))
                .isInstanceOf(RemoteSwarmException.class).hasMessageContaining("leads back to this server itself")
                .satisfies(e -> assertThat(((RemoteSwarmException) e).kind()).isEqualTo(RemoteSwarmException.Kind.SELF));
    }
}
