package dev.switchboard.server.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.switchboard.server.sessions.Identity;
import dev.switchboard.server.sessions.Permission;
import dev.switchboard.server.sessions.SessionService;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The envelope's audit: which calls it records, their target and outcome, and that no request value leaks. */
final class ApiAuditTest {
    private static final String SECRET = "canary-s3cret-value";

    private final SessionService sessions = new SessionService();
    private final List<String> recorded = new ArrayList<>();
    private final AtomicInteger ran = new AtomicInteger();

    private ApiEnvelope envelope(ApiAudit audit) {
        return new ApiEnvelope(List.of(
                audited(TestRoute.of("EditBackend", Permission.EDIT_BACKENDS, call -> {
                    ran.incrementAndGet();
                    if (call.has("fail")) {
                        throw new ApiError("Invalid value '" + SECRET + "' for setting 'Address': bad"
                                + " (also " + call.body().getAsJsonObject("settings").get("Token").getAsString() + ")");
                    }
                    return new JsonObject();
                })),
                audited(TestRoute.sessionless("Login", call -> {
                    throw new ApiError("invalid_login", "Login failed: wrong name or password.");
                })),
                audited(TestRoute.of("CreateThing", Permission.EDIT_BACKENDS, call -> {
                    call.auditTarget("new-7");
                    return new JsonObject();
                })),
                TestRoute.of("ListBackends", Permission.VIEW_BACKENDS_LIST, call -> new JsonObject())),
                sessions, audit);
    }

    private ApiResponse send(ApiEnvelope envelope, String route, String json) {
        return envelope.process(route.toLowerCase(), json.getBytes(UTF_8),
                RequestHeaders.copyOf(Map.of()).from(new InetSocketAddress("10.0.0.7", 5555)));
    }

    @Test
    void recordsAuditedCallsWithTheirTargetAndOutcomeAndNothingElse() {
        ApiEnvelope envelope = envelope(this::record);
        String alice = sessions.create(new Identity("alice", List.of("*"), "")).id();

        send(envelope, "EditBackend", "{\"session_id\":\"" + alice + "\",\"backend_id\":3,\"title\":\"x\"}");
        send(envelope, "CreateThing", "{\"session_id\":\"" + alice + "\",\"label\":\"mine\"}");
        send(envelope, "ListBackends", "{\"session_id\":\"" + alice + "\",\"backend_id\":3}");

        assertThat(recorded).containsExactly("EditBackend|alice|10.0.0.7|3|ok", "CreateThing|alice|10.0.0.7|new-7|ok");
    }

    @Test
    void anErrorsTextHasTheRequestsValuesHidden() {
        ApiEnvelope envelope = envelope(this::record);
        String alice = sessions.create(new Identity("alice", List.of("*"), "")).id();

        ApiResponse answer = send(envelope, "EditBackend", "{\"session_id\":\"" + alice + "\",\"backend_id\":3,"
                + "\"fail\":1,\"settings\":{\"Address\":\"" + SECRET + "\",\"Token\":\"tok-9f8e7d\"}}");

        assertThat(answer.json()).contains(SECRET);
        assertThat(recorded).containsExactly("EditBackend|alice|10.0.0.7|3|Invalid value '<hidden>' for setting"
                + " 'Address': bad (also <hidden>)");
    }

    @Test
    void aRefusedPermissionIsRecordedAndTheRouteNeverRuns() {
        ApiEnvelope envelope = envelope(this::record);
        String guest = sessions.create(new Identity("guest1", List.of("fundamental"), "")).id();

        ApiResponse answer = send(envelope, "EditBackend", "{\"session_id\":\"" + guest + "\",\"backend_id\":4}");

        assertThat(answer.outcome()).isEqualTo("bad_permissions");
        assertThat(ran).hasValue(0);
        assertThat(recorded).containsExactly("EditBackend|guest1|10.0.0.7|4|refused: lacks edit_backends");
    }

    @Test
    void anErrorIdIsAnsweredInTheEnvelopesShapeWithHttp200AndASessionlessCallHasNoUser() {
        ApiEnvelope envelope = envelope(this::record);

        ApiResponse answer = send(envelope, "Login", "{\"username\":\"bob\",\"password\":\"" + SECRET + "\"}");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json()).isEqualTo(
                "{\"error_id\":\"invalid_login\",\"error\":\"Login failed: wrong name or password.\"}");
        assertThat(answer.outcome()).isEqualTo("invalid_login");
        assertThat(recorded).containsExactly("Login||10.0.0.7|bob|Login failed: wrong name or password.");
    }

    @Test
    void anAuditThatFailsDoesNotChangeTheAnswer() {
        ApiEnvelope envelope = envelope((route, user, address, target, outcome) -> {
            throw new IllegalStateException("disk full");
        });
        String alice = sessions.create(new Identity("alice", List.of("*"), "")).id();

        ApiResponse answer = send(envelope, "EditBackend", "{\"session_id\":\"" + alice + "\",\"backend_id\":3}");

        assertThat(answer.json()).isEqualTo("{}");
        assertThat(ran).hasValue(1);
    }

    private void record(String route, String user, String address, String target, String outcome) {
        recorded.add(String.join("|", route, user, address, target, outcome));
    }

    private static ApiRoute audited(ApiRoute route) {
        return new ApiRoute() {
            @Override
            public String name() {
                return route.name();
            }

            @Override
            public boolean requiresSession() {
                return route.requiresSession();
            }

            @Override
            public boolean audited() {
                return true;
            }

            @Override
            public Permission permission() {
                return route.permission();
            }

            @Override
            public JsonObject handle(ApiCall call) throws Exception {
                return route.handle(call);
            }
        };
    }
}
