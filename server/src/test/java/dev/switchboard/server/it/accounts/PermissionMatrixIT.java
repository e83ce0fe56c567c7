package dev.switchboard.server.it.accounts;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.switchboard.server.accounts.AccountsFile;
import dev.switchboard.server.bootstrap.ServerOptions;
import dev.switchboard.server.bootstrap.SwitchboardServer;
import dev.switchboard.server.http.ApiRoute;
import dev.switchboard.server.it.TestPlugins;
import dev.switchboard.server.sessions.Permission;
import dev.switchboard.testkit.server.SwarmApiClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every route the running server registers, called over real HTTP (WebSocket for the WebSocket-only ones) by a
 * user of each built-in role through their API key, and by an anonymous session: refused with SwarmUI's
 * permission error exactly when the role lacks the route's permission, otherwise past the permission check.
 * {@link #ROUTES} is the reviewed table of each route's permission and the least trusted built-in role holding
 * it: a route the server registers that the table does not list, or whose permission differs, fails the build.
 * Calls that could change something carry parameters naming nothing (a backend id no backend has), and the
 * test checks at the end that no backend and no account changed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class PermissionMatrixIT {
    /** The built-in roles, most trusted first; each holds everything a less trusted one holds. */
    private static final List<String> ROLES = List.of("owner", "admin", "poweruser", "user", "guest");
    private static final String NO_BACKEND = "2147483000";
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(30);
    private static final JsonObject LACKING_PERMISSION = JsonParser.parseString(
            "{\"error_id\":\"bad_permissions\",\"error\":\"You lack permissions for this route.\"}").getAsJsonObject();

    /**
     * What a route needs: its permission id (SwarmUI's where SwarmUI has the route, accounts.md; empty for a
     * public route), the least trusted built-in role holding it, a body that cannot change anything, and whether
     * the route could change anything at all (those run last).
     */
    private record Expected(String permission, String leastTrustedRole, String body, boolean changes) {
        static Expected reads(String permission, String role, String body) {
            return new Expected(permission, role, body, false);
        }

        static Expected changes(String permission, String role, String body) {
            return new Expected(permission, role, body, true);
        }
    }

    /** The reviewed table: every route the server registers, and nothing else. */
    private static final Map<String, Expected> ROUTES = Map.ofEntries(
            entry("GetNewSession", Expected.reads("", "guest", "{}")),
            // SwarmUI's ids (accounts.md, "Permission ids of the routes Switchboard has").
            entry("ListBackends", Expected.reads("view_backends_list", "poweruser", "{}")),
            entry("ListBackendTypes", Expected.reads("view_backends_list", "poweruser", "{}")),
            entry("AddNewBackend", Expected.changes("add_remove_backends", "admin", "{\"type_id\":\"no_such_type\"}")),
            entry("DeleteBackend", Expected.changes("add_remove_backends", "admin",
                    "{\"backend_id\":" + NO_BACKEND + "}")),
            entry("EditBackend", Expected.changes("edit_backends", "admin",
                    "{\"backend_id\":" + NO_BACKEND + ",\"title\":\"never\",\"settings\":{}}")),
            entry("ToggleBackend", Expected.changes("toggle_backends", "admin",
                    "{\"backend_id\":" + NO_BACKEND + ",\"enabled\":false}")),
            entry("RestartBackends", Expected.changes("restart_backends", "poweruser",
                    "{\"backend\":\"" + NO_BACKEND + "\"}")),
            entry("FreeBackendMemory", Expected.changes("control_mem_clean", "poweruser",
                    "{\"backend\":\"" + NO_BACKEND + "\"}")),
            entry("GenerateText2Image", Expected.changes("basic_image_generation", "user", "{\"images\":0}")),
            entry("GenerateText2ImageWS", Expected.changes("basic_image_generation", "user", "{\"images\":0}")),
            entry("InterruptAll", Expected.changes("basic_image_generation", "user", "{\"other_sessions\":false}")),
            entry("ListModels", Expected.reads("fundamental_model_access", "guest", "{}")),
            entry("SelectModel", Expected.changes("load_models_now", "poweruser",
                    "{\"model\":\"no-such-model.safetensors\"}")),
            entry("ListT2IParams", Expected.reads("fundamental_generate_tab_access", "guest", "{}")),
            entry("TriggerRefresh", Expected.reads("fundamental_generate_tab_access", "guest", "{\"strong\":false}")),
            entry("GetCurrentStatus", Expected.reads("fundamental_generate_tab_access", "guest", "{}")),
            // SwarmUI's ListImages is view_image_history.
            entry("ListOutputs", Expected.reads("view_image_history", "user", "{}")),
            // Switchboard's own routes (ids in SwarmUI's style).
            entry("GetBackendLogs", Expected.reads("view_logs", "admin", "{\"backend_id\":" + NO_BACKEND + "}")),
            entry("ListPlugins", Expected.reads("view_plugins", "admin", "{}")),
            entry("ComfyGetNodeTypesForBackend", Expected.reads("fundamental_generate_tab_access", "guest",
                    "{\"backend\":" + NO_BACKEND + "}")),
            // The account routes: SwarmUI's ids (accounts.md, "Routes"); a login that cannot succeed, and changes
            // naming no user, role or key, or refused for their parameters.
            entry("Login", Expected.reads("", "guest",
                    "{\"username\":\"no-such-user\",\"password\":\"wrong password\"}")),
            entry("Logout", Expected.changes("fundamental", "guest", "{}")),
            entry("ChangePassword", Expected.changes("edit_user_settings", "user",
                    "{\"oldPassword\":\"wrong password\",\"newPassword\":\"short\"}")),
            entry("GetMyUserData", Expected.reads("fundamental_generate_tab_access", "guest", "{}")),
            entry("AdminAddUser", Expected.changes("manage_users", "admin",
                    "{\"name\":\"-bad name-\",\"password\":\"a long enough password\",\"role\":\"user\"}")),
            entry("AdminDeleteUser", Expected.changes("manage_users", "admin", "{\"name\":\"no-such-user\"}")),
            entry("AdminListUsers", Expected.reads("manage_users", "admin", "{}")),
            entry("AdminSetUserPassword", Expected.changes("manage_users", "admin",
                    "{\"name\":\"no-such-user\",\"password\":\"a long enough password\"}")),
            entry("AdminGetUserInfo", Expected.reads("manage_users", "admin", "{\"name\":\"no-such-user\"}")),
            entry("AdminAddRole", Expected.changes("configure_roles", "owner", "{\"name\":\"-bad name-\"}")),
            entry("AdminEditRole", Expected.changes("configure_roles", "owner", "{\"name\":\"no-such-role\"}")),
            entry("AdminDeleteRole", Expected.changes("configure_roles", "owner", "{\"name\":\"no-such-role\"}")),
            entry("AdminListRoles", Expected.reads("configure_roles", "owner", "{}")),
            entry("AdminListPermissions", Expected.reads("configure_roles", "owner", "{}")),
            // Switchboard's own account routes.
            entry("CreateAPIKey", Expected.changes("manage_api_keys", "user",
                    "{\"label\":\"never made\",\"expires_days\":0}")),
            entry("ListAPIKeys", Expected.reads("manage_api_keys", "user", "{}")),
            entry("RevokeAPIKey", Expected.changes("manage_api_keys", "user", "{\"id\":\"no-such-key\"}")),
            entry("GetAuditLog", Expected.reads("view_audit_log", "admin", "{}")));

    @TempDir
    static Path temp;
    private static Path data;
    private static SwitchboardServer server;
    private static byte[] usersFileBefore;
    /** Each caller's session (by role name; "anonymous" for none) and what GetNewSession answered. */
    private static final Map<String, JsonObject> SESSIONS = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        data = temp.resolve("data");
        TestAccounts accounts = new TestAccounts();
        for (String role : ROLES) {
            accounts.user(role + "-1", "password of " + role, role).key(role + "-1", "key-" + role, keyOf(role));
        }
        accounts.writeTo(data);
        usersFileBefore = Files.readAllBytes(data.resolve(AccountsFile.FILE_NAME));
        server = SwitchboardServer.start(new ServerOptions("127.0.0.1", 0, data, TestPlugins.shipped(), false,
                1 << 20, Duration.ofMinutes(10)));
        for (String role : ROLES) {
            SESSIONS.put(role, newSession(Optional.of(keyOf(role))));
        }
        SESSIONS.put("anonymous", newSession(Optional.empty()));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String keyOf(String role) {
        return "sb_matrix_key_of_the_" + role + "_0123456789abcdef";
    }

    private static JsonObject newSession(Optional<String> key) {
        SwarmApiClient.Response answer = client(key).postRaw("GetNewSession", "{}");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    private static SwarmApiClient client(Optional<String> key) {
        return new SwarmApiClient(server.url(), key.map(k -> Map.of("Authorization", "Bearer " + k)).orElse(Map.of()));
    }

    @Test
    @Order(1)
    void everyRegisteredRouteHasTheReviewedPermission() {
        Map<String, String> declared = new LinkedHashMap<>();
        server.routes().forEach(route -> declared.put(route.name(), route.permission().id()));
        assertThat(declared.keySet()).as("registered routes missing from the reviewed table (declare and review"
                + " their permission here)").isSubsetOf(ROUTES.keySet());
        assertThat(ROUTES.keySet()).as("routes in the table the server does not register")
                .isSubsetOf(declared.keySet());
        for (Map.Entry<String, String> route : declared.entrySet()) {
            assertThat(route.getValue()).as("the permission of %s", route.getKey())
                    .isEqualTo(ROUTES.get(route.getKey()).permission());
        }
        for (ApiRoute route : server.routes()) {
            assertThat(route.requiresSession()).as("only a public route may need no session: %s", route.name())
                    .isEqualTo(route.permission() != Permission.PUBLIC);
        }
    }

    @Test
    @Order(2)
    void theOpenApiDocumentListsTheSameRoutes() {
        SwarmApiClient.Response answer = client(Optional.of(keyOf("guest"))).send(HttpRequest.newBuilder(
                URI.create(server.url() + "/openapi.json")).header("Authorization", "Bearer " + keyOf("guest")).GET());
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        TreeSet<String> documented = new TreeSet<>();
        for (String path : answer.json().getAsJsonObject("paths").keySet()) {
            assertThat(path).startsWith("/API/");
            documented.add(path.substring("/API/".length()));
        }
        assertThat(documented).isEqualTo(new TreeSet<>(ROUTES.keySet()));
    }

    @Test
    @Order(3)
    void eachSessionActsAsItsKeysUserWithItsRolesPermissions() {
        for (String role : ROLES) {
            JsonObject session = SESSIONS.get(role);
            assertThat(session.get("user_id").getAsString()).isEqualTo(role + "-1");
            List<String> held = strings(session.getAsJsonArray("permissions"));
            for (Map.Entry<String, Expected> route : ROUTES.entrySet()) {
                String permission = route.getValue().permission();
                if (!permission.isEmpty()) {
                    assertThat(held.contains(permission) || held.contains(Permission.ALL))
                            .as("%s holds %s (for %s)", role, permission, route.getKey())
                            .isEqualTo(mayUse(role, route.getValue()));
                }
            }
        }
        assertThat(strings(SESSIONS.get("owner").getAsJsonArray("permissions"))).contains(Permission.ALL);
        JsonObject anonymous = SESSIONS.get("anonymous");
        assertThat(anonymous.get("user_id").getAsString()).isEmpty();
        assertThat(anonymous.getAsJsonArray("permissions")).isEmpty();
    }

    /** Every route for every caller; the routes that could change something run after all the others. */
    @TestFactory
    @Order(4)
    Stream<DynamicTest> everyRouteForEveryRole() {
        List<ApiRoute> routes = new ArrayList<>(server.routes());
        routes.sort(Comparator.comparing((ApiRoute route) -> ROUTES.get(route.name()).changes())
                .thenComparing(route -> route.name().equals("Logout")).thenComparing(ApiRoute::name));
        List<DynamicTest> tests = new ArrayList<>();
        for (ApiRoute route : routes) {
            for (String caller : SESSIONS.keySet()) {
                tests.add(DynamicTest.dynamicTest(route.name() + " as " + caller, () -> check(route, caller)));
            }
        }
        return tests.stream();
    }

    private static void check(ApiRoute route, String caller) throws Exception {
        Expected expected = ROUTES.get(route.name());
        boolean allowed = route.permission() == Permission.PUBLIC
                || !caller.equals("anonymous") && mayUse(caller, expected);
        JsonObject body = JsonParser.parseString(expected.body()).getAsJsonObject();
        body.addProperty("session_id", SESSIONS.get(caller).get("session_id").getAsString());
        if (route.webSocketOnly()) {
            List<JsonObject> messages = RouteSocket.call(server.url(), route.name(), body.toString(), SOCKET_TIMEOUT);
            if (allowed) {
                assertThat(messages).isNotEmpty().noneMatch(message -> message.has("error_id"));
            } else {
                assertThat(messages).containsExactly(LACKING_PERMISSION);
            }
            return;
        }
        SwarmApiClient.Response answer = new SwarmApiClient(server.url()).postRaw(route.name(), body.toString());
        if (allowed) {
            // Past the envelope's checks: the route itself answered (perhaps refusing the parameters).
            // A route's own error may carry an error_id (Login's invalid_login), never the envelope's refusal.
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            assertThat(answer.json()).as(answer.body()).isNotEqualTo(LACKING_PERMISSION);
            if (answer.json().has("error_id")) {
                assertThat(answer.json().get("error_id").getAsString()).as(answer.body())
                        .isIn("invalid_login", "ratelimit");
            }
        } else {
            assertThat(answer.status()).as(answer.body()).isEqualTo(400);
            assertThat(answer.json()).isEqualTo(LACKING_PERMISSION);
        }
    }

    @Test
    @Order(5)
    void theCallsChangedNothing() throws Exception {
        JsonObject backends = client(Optional.of(keyOf("owner"))).call("ListBackends");
        assertThat(backends.entrySet()).isEmpty();
        assertThat(Files.readAllBytes(data.resolve(AccountsFile.FILE_NAME))).isEqualTo(usersFileBefore);
        for (String role : ROLES) {
            assertThat(newSession(Optional.of(keyOf(role))).get("user_id").getAsString()).isEqualTo(role + "-1");
        }
    }

    /** Whether a built-in role holds a route's permission, from the table's least trusted role holding it. */
    private static boolean mayUse(String role, Expected route) {
        return route.permission().isEmpty() || ROLES.indexOf(role) <= ROLES.indexOf(route.leastTrustedRole());
    }

    private static List<String> strings(JsonArray array) {
        List<String> all = new ArrayList<>();
        for (JsonElement element : array) {
            all.add(element.getAsString());
        }
        return all;
    }
}
