package dev.switchboard.server.routes.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.switchboard.server.accounts.UserAccount;
import dev.switchboard.server.http.ApiError;
import dev.switchboard.server.sessions.Credentials;
import dev.switchboard.server.sessions.Identity;
import dev.switchboard.server.sessions.Permission;
import dev.switchboard.server.sessions.Session;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Login, Logout, ChangePassword, GetMyUserData and the Admin user routes over a real Accounts. */
final class UserRoutesTest extends AccountsFixture {

    @Test
    void loginAnswersSwarmUisSuccessAndTheTokenLogsTheUserIn() throws Exception {
        addUser("alice", "user");
        LoginRoute login = new LoginRoute(accounts);

        JsonObject answer = login.handle(call(null, "username", " Alice ", "password", PASSWORD));

        assertThat(login.requiresSession()).isFalse();
        assertThat(login.permission()).isEqualTo(Permission.PUBLIC);
        assertThat(login.audited()).isTrue();
        assertThat(answer.toString()).isEqualTo("{\"success\":\"true\"}");
    }

    @Test
    void aWrongNameOrPasswordIsInvalidLoginAndTooManyAreRateLimited() throws Exception {
        addUser("alice", "user");
        LoginRoute login = new LoginRoute(accounts);

        ApiError wrongPassword = refused(login, call(null, "username", "alice", "password", "not the password"));
        ApiError unknownUser = refused(login, call(null, "username", "nobody", "password", PASSWORD));

        for (ApiError error : List.of(wrongPassword, unknownUser)) {
            assertThat(error).hasMessage("Login failed: wrong name or password.");
            assertThat(error.errorId()).contains("invalid_login");
        }
        for (int i = 0; i < 4; i++) {
            refused(login, call(null, "username", "alice", "password", "guess " + i));
        }
        ApiError limited = refused(login, call(null, "username", "alice", "password", PASSWORD));
        assertThat(limited).hasMessage("Too many failed logins; wait a few minutes and try again.");
        assertThat(limited.errorId()).contains("ratelimit");
    }

    @Test
    void withoutUsersEveryLoginIsInvalid() {
        ApiError error = refused(new LoginRoute(accounts), call(null, "username", "local", "password", PASSWORD));

        assertThat(error.errorId()).contains("invalid_login");
        assertThat(accounts.accountsEnabled()).isFalse();
    }

    @Test
    void logoutEndsTheLoginAndTheSessionsMadeThroughIt() throws Exception {
        addUser("alice", "user");
        String token = accounts.login("alice", PASSWORD, "10.0.0.1").token();
        Identity loggedIn = accounts.resolve(new Credentials(Optional.empty(), Optional.of(token), "10.0.0.1"));
        Session session = sessions.create(loggedIn);
        LogoutRoute logout = new LogoutRoute(accounts);

        assertThat(logout.handle(call(session)).toString()).isEqualTo("{\"success\":true}");

        assertThat(logout.permission()).isEqualTo(Permission.FUNDAMENTAL);
        assertThat(sessions.find(session.id())).isEmpty();
        assertThat(accounts.resolve(new Credentials(Optional.empty(), Optional.of(token), "10.0.0.1")))
                .isEqualTo(Identity.ANONYMOUS);
    }

    @Test
    void changePasswordNeedsTheOldOneAndALongEnoughNewOne() throws Exception {
        addUser("alice", "user");
        Session alice = sessionOf("alice");
        ChangePasswordRoute change = new ChangePasswordRoute(accounts);

        assertThat(change.permission()).isEqualTo(Permission.EDIT_USER_SETTINGS);
        assertRefused(change, call(alice, "oldPassword", "wrong password", "newPassword", "a new password"),
                "The old password is not correct.");
        assertRefused(change, call(alice, "oldPassword", PASSWORD, "newPassword", "short"),
                "A password must have at least 8 characters.");
        assertRefused(change, call(localSession(), "oldPassword", PASSWORD, "newPassword", "a new password"),
                "Only a logged-in user can change their password.");
        assertRefused(change, call(alice, "oldPassword", PASSWORD), "Missing required parameter 'newPassword'");

        assertThat(change.handle(call(alice, "oldPassword", PASSWORD, "newPassword", "a new password")).toString())
                .isEqualTo("{\"success\":true}");

        assertThat(accounts.login("alice", "a new password", "10.0.0.1").user()).isEqualTo("alice");
    }

    @Test
    void getMyUserDataAnswersTheCallersRolesPermissionsAndLimits() throws Exception {
        addUser("alice", "user");
        GetMyUserDataRoute route = new GetMyUserDataRoute(accounts);

        JsonObject answer = route.handle(call(sessionOf("alice")));

        assertThat(route.permission()).isEqualTo(Permission.FUNDAMENTAL_GENERATE_TAB_ACCESS);
        assertThat(answer.keySet()).containsExactly("user_name", "roles", "permissions", "max_t2i_simultaneous",
                "model_whitelist", "model_blacklist");
        assertThat(answer.get("user_name").getAsString()).isEqualTo("alice");
        assertThat(answer.get("roles").toString()).isEqualTo("[\"user\"]");
        assertThat(strings(answer, "permissions")).containsExactlyElementsOf(accounts.permissionsOf("alice"))
                .contains("basic_image_generation").doesNotContain("manage_users");
        assertThat(answer.get("max_t2i_simultaneous").getAsInt()).isEqualTo(32);
        assertThat(answer.get("model_whitelist").toString()).isEqualTo("[]");
        assertThat(answer.get("model_blacklist").toString()).isEqualTo("[]");
    }

    @Test
    void withoutAccountsTheLocalUserHoldsTheOwnersRole() throws Exception {
        JsonObject answer = new GetMyUserDataRoute(accounts).handle(call(localSession()));

        assertThat(answer.get("user_name").getAsString()).isEqualTo("local");
        assertThat(answer.get("roles").toString()).isEqualTo("[\"owner\"]");
        assertThat(strings(answer, "permissions")).startsWith("*").contains("manage_users", "configure_roles");
    }

    @Test
    void theFirstUserAddedByTheLocalUserTurnsAccountsOnAndEndsTheLocalSessions() throws Exception {
        Session local = localSession();
        AdminAddUserRoute add = new AdminAddUserRoute(accounts);

        assertThat(add.handle(call(local, "name", "Root", "password", PASSWORD, "role", "owner")).toString())
                .isEqualTo("{\"success\":true}");

        assertThat(add.permission()).isEqualTo(Permission.MANAGE_USERS);
        assertThat(accounts.accountsEnabled()).isTrue();
        assertThat(store.saved().users()).extracting(UserAccount::name).containsExactly("root");
        assertThat(sessions.find(local.id())).isEmpty();
    }

    @Test
    void addUserRefusesDuplicatesBadNamesShortPasswordsUnknownRolesAndEscalation() throws Exception {
        addUser("root", "owner");
        addUser("admin", "admin");
        Session admin = sessionOf("admin");
        AdminAddUserRoute add = new AdminAddUserRoute(accounts);

        assertRefused(add, call(admin, "name", "ROOT", "password", PASSWORD, "role", "user"),
                "A user named 'root' already exists.");
        assertRefused(add, call(admin, "name", "../etc", "password", PASSWORD, "role", "user"),
                "A user name must be 1 to 64 characters of a-z, 0-9, '.', '_' and '-', starting with a letter or"
                        + " digit.");
        assertRefused(add, call(admin, "name", "bob", "password", "short", "role", "user"),
                "A password must have at least 8 characters.");
        assertRefused(add, call(admin, "name", "bob", "password", PASSWORD, "role", "king"),
                "No role is named 'king'.");
        assertRefused(add, call(admin, "name", "bob", "password", PASSWORD, "role", "owner"),
                "You may not give the role 'owner': it holds permissions you do not have (*).");
        assertRefused(add, call(admin, "name", "bob", "password", PASSWORD), "Missing required parameter 'role'");

        add.handle(call(admin, "name", "bob", "password", PASSWORD, "role", "user"));
        assertThat(accounts.rolesOf("bob")).extracting(role -> role.name()).containsExactly("user");
    }

    @Test
    void deleteUserRemovesTheUserButNeverTheLastOwnerOrAMorePowerfulUser() throws Exception {
        addUser("root", "owner");
        addUser("admin", "admin");
        addUser("bob", "user");
        Session bob = sessionOf("bob");
        AdminDeleteUserRoute delete = new AdminDeleteUserRoute(accounts);

        assertRefused(delete, call(sessionOf("admin"), "name", "root"),
                "You may not act on the user 'root': it holds permissions you do not have (*).");
        assertRefused(delete, call(sessionOf("root"), "name", "root"),
                "'root' is the last user holding every permission; make another owner first.");
        assertRefused(delete, call(sessionOf("admin"), "name", "nobody"), "No user is named 'nobody'.");

        delete.handle(call(sessionOf("admin"), "name", "bob"));

        assertThat(accounts.user("bob")).isEmpty();
        assertThat(sessions.find(bob.id())).isEmpty();
    }

    @Test
    void listUsersAnswersTheNamesSorted() throws Exception {
        addUser("zed", "owner");
        addUser("amy", "user");
        addUser("mia", "guest");
        AdminListUsersRoute list = new AdminListUsersRoute(accounts);

        assertThat(list.handle(call(sessionOf("zed"))).toString()).isEqualTo("{\"users\":[\"amy\",\"mia\",\"zed\"]}");
        assertThat(list.permission()).isEqualTo(Permission.MANAGE_USERS);
        assertThat(list.audited()).isFalse();
    }

    @Test
    void setUserPasswordResetsItForUsersTheCallerMayActOn() throws Exception {
        addUser("root", "owner");
        addUser("admin", "admin");
        addUser("bob", "user");
        AdminSetUserPasswordRoute set = new AdminSetUserPasswordRoute(accounts);

        assertRefused(set, call(sessionOf("admin"), "name", "root", "password", "another password"),
                "You may not act on the user 'root': it holds permissions you do not have (*).");
        assertRefused(set, call(sessionOf("admin"), "name", "bob", "password", "short"),
                "A password must have at least 8 characters.");

        set.handle(call(sessionOf("admin"), "name", "bob", "password", "another password"));

        assertThat(accounts.login("bob", "another password", "10.0.0.1").user()).isEqualTo("bob");
    }

    @Test
    void getUserInfoDescribesOneUser() throws Exception {
        addUser("root", "owner");
        addUser("bob", "user");
        AdminGetUserInfoRoute info = new AdminGetUserInfoRoute(accounts);

        JsonObject answer = info.handle(call(sessionOf("root"), "name", "BOB"));

        assertThat(answer.keySet()).containsExactly("user_name", "roles", "permissions", "created");
        assertThat(answer.get("user_name").getAsString()).isEqualTo("bob");
        assertThat(answer.get("roles").toString()).isEqualTo("[\"user\"]");
        assertThat(strings(answer, "permissions")).containsExactlyElementsOf(accounts.permissionsOf("bob"));
        assertThat(answer.get("created").getAsString()).isEqualTo(NOW.toString());
        assertThat(answer.toString()).doesNotContain("argon2");
        assertRefused(info, call(sessionOf("root"), "name", "nobody"), "No user is named 'nobody'.");
    }

    static List<String> strings(JsonObject answer, String key) {
        return answer.getAsJsonArray(key).asList().stream().map(element -> element.getAsString()).toList();
    }
}
