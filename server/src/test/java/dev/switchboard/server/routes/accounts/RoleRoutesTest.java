package dev.switchboard.server.routes.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.switchboard.server.accounts.Role;
import dev.switchboard.server.sessions.Permission;
import dev.switchboard.server.sessions.Session;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** AdminAddRole, AdminEditRole, AdminDeleteRole, AdminListRoles and AdminListPermissions over a real Accounts. */
final class RoleRoutesTest extends AccountsFixture {
    private Session owner;

    @BeforeEach
    void addOwner() throws Exception {
        addUser("root", "owner");
        owner = sessionOf("root");
    }

    @Test
    void addRoleAddsAnEmptyRoleWithTheDefaultLimits() throws Exception {
        AdminAddRoleRoute add = new AdminAddRoleRoute(accounts);

        add.handle(call(owner, "name", "Artists"));

        assertThat(add.permission()).isEqualTo(Permission.CONFIGURE_ROLES);
        assertThat(role("artists")).isEqualTo(new Role("artists", "", Set.of(), 5, 32, false, List.of(), List.of()));
        assertRefused(add, call(owner, "name", "artists"), "A role named 'artists' already exists.");
        assertRefused(add, call(owner, "name", "a b"), "A role name must be 1 to 64 characters of a-z, 0-9, '.',"
                + " '_' and '-', starting with a letter or digit.");
    }

    @Test
    void editRoleChangesWhatIsGivenAndKeepsTheRest() throws Exception {
        accounts.addRole(owner.identity(), "artists");
        AdminEditRoleRoute edit = new AdminEditRoleRoute(accounts);

        edit.handle(call(owner, "name", "artists", "description", "Paints.", "max_t2i_simultaneous", 2,
                "model_whitelist", "sdxl/, flux-dev.safetensors,", "permissions",
                "basic_image_generation,fundamental_model_access"));
        edit.handle(call(owner, "name", "ARTISTS", "allow_unsafe_outpaths", true, "model_blacklist", "bad*"));

        assertThat(role("artists")).isEqualTo(new Role("artists", "Paints.",
                Set.of("basic_image_generation", "fundamental_model_access"), 5, 2, true,
                List.of("sdxl/", "flux-dev.safetensors"), List.of("bad*")));
        edit.handle(call(owner, "name", "artists", "permissions", "", "model_whitelist", ""));
        assertThat(role("artists").permissions()).isEmpty();
        assertThat(role("artists").modelWhitelist()).isEmpty();
        assertThat(role("artists").maxT2iSimultaneous()).isEqualTo(2);
    }

    @Test
    void editRoleRefusesUnknownRolesAndPermissionsNegativeLimitsAndTheOwnersPermissions() throws Exception {
        AdminEditRoleRoute edit = new AdminEditRoleRoute(accounts);

        assertRefused(edit, call(owner, "name", "king"), "No role is named 'king'.");
        assertRefused(edit, call(owner, "name", "user", "permissions", "fly"),
                "No permission has the id 'fly'; AdminListPermissions lists them.");
        assertRefused(edit, call(owner, "name", "user", "max_t2i_simultaneous", -1),
                "Invalid value '-1' for parameter 'max_t2i_simultaneous': it must be 0 or more.");
        assertRefused(edit, call(owner, "name", "user", "max_outpath_depth", "deep"),
                "Invalid value 'deep' for parameter 'max_outpath_depth', must be type 'Int32'");
        assertRefused(edit, call(owner, "name", "owner", "permissions", "manage_users"),
                "The owner role always holds every permission ('*').");
        // A user who may configure roles still cannot hand out what they lack.
        accounts.addRole(owner.identity(), "roleadmins");
        accounts.editRole(owner.identity(), role("roleadmins").withPermissions(Set.of(
                Permission.CONFIGURE_ROLES.id())));
        accounts.addUser(owner.identity(), "carol", PASSWORD, "roleadmins");
        assertRefused(edit, call(sessionOf("carol"), "name", "user", "permissions", "manage_users"),
                "You may not give these permissions: it holds permissions you do not have (manage_users).");
    }

    @Test
    void deleteRoleRefusesBuiltInAndHeldRoles() throws Exception {
        accounts.addRole(owner.identity(), "artists");
        accounts.addRole(owner.identity(), "spare");
        accounts.addUser(owner.identity(), "amy", PASSWORD, "artists");
        AdminDeleteRoleRoute delete = new AdminDeleteRoleRoute(accounts);

        assertRefused(delete, call(owner, "name", "user"), "The built-in role 'user' cannot be deleted.");
        assertRefused(delete, call(owner, "name", "artists"),
                "The role 'artists' is held by amy; give them another role first.");
        assertRefused(delete, call(owner, "name", "king"), "No role is named 'king'.");

        delete.handle(call(owner, "name", "spare"));

        assertThat(accounts.state().roles()).extracting(Role::name).doesNotContain("spare").contains("artists");
    }

    @Test
    void listRolesAnswersEveryRoleWithItsLimits() throws Exception {
        accounts.addRole(owner.identity(), "artists");
        AdminListRolesRoute list = new AdminListRolesRoute(accounts);

        JsonObject roles = list.handle(call(owner)).getAsJsonObject("roles");

        assertThat(roles.keySet()).containsExactly("owner", "admin", "poweruser", "user", "guest", "artists");
        JsonObject user = roles.getAsJsonObject("user");
        assertThat(user.keySet()).containsExactly("name", "description", "permissions", "max_outpath_depth",
                "max_t2i_simultaneous", "allow_unsafe_outpaths", "model_whitelist", "model_blacklist", "is_builtin");
        assertThat(UserRoutesTest.strings(user, "permissions")).isSorted()
                .containsExactlyInAnyOrderElementsOf(role("user").permissions());
        assertThat(user.get("is_builtin").getAsBoolean()).isTrue();
        assertThat(roles.getAsJsonObject("owner").get("permissions").toString()).isEqualTo("[\"*\"]");
        assertThat(roles.getAsJsonObject("artists").toString()).isEqualTo("{\"name\":\"artists\",\"description\":\"\","
                + "\"permissions\":[],\"max_outpath_depth\":5,\"max_t2i_simultaneous\":32,"
                + "\"allow_unsafe_outpaths\":false,\"model_whitelist\":[],\"model_blacklist\":[],\"is_builtin\":false}");
    }

    @Test
    void listPermissionsAnswersTheCatalogWithSwarmUisLevels() throws Exception {
        AdminListPermissionsRoute list = new AdminListPermissionsRoute();

        JsonObject permissions = list.handle(call(owner)).getAsJsonObject("permissions");

        assertThat(permissions.keySet()).hasSize(Permission.values().length - 1).doesNotContain("")
                .contains("manage_users", "view_audit_log");
        assertThat(permissions.getAsJsonObject("edit_backends").toString()).isEqualTo("{\"name\":\"Edit Backends\","
                + "\"description\":\"Change a backend's settings.\",\"group\":\"backends\",\"default\":\"ADMINS\"}");
        assertThat(permissions.getAsJsonObject("configure_roles").get("default").getAsString()).isEqualTo("NOBODY");
        assertThat(permissions.getAsJsonObject("fundamental").get("default").getAsString()).isEqualTo("GUESTS");
    }

    private Role role(String name) {
        return accounts.state().roles().stream().filter(role -> role.name().equals(name)).findFirst().orElseThrow();
    }
}
