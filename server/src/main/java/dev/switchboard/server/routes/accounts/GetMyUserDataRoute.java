package dev.switchboard.server.routes.accounts;

import com.google.gson.JsonObject;
import dev.switchboard.server.accounts.Accounts;
import dev.switchboard.server.accounts.BuiltInRoles;
import dev.switchboard.server.accounts.Role;
import dev.switchboard.server.http.ApiCall;
import dev.switchboard.server.http.ApiField;
import dev.switchboard.server.http.ApiRoute;
import dev.switchboard.server.http.JsonType;
import dev.switchboard.server.http.RouteDoc;
import dev.switchboard.server.sessions.Identity;
import dev.switchboard.server.sessions.Permission;
import jakarta.inject.Inject;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code GetMyUserData} (SwarmUI's): the caller's name, roles, permissions and the limits of their roles, the most
 * generous role winning. Without accounts the caller is {@code local}, holding the owner's role.
 */
final class GetMyUserDataRoute implements ApiRoute {
    private final Accounts accounts;

    @Inject
    GetMyUserDataRoute(Accounts accounts) {
        this.accounts = accounts;
    }

    @Override
    public String name() {
        return "GetMyUserData";
    }

    @Override
    public Permission permission() {
        return Permission.FUNDAMENTAL_GENERATE_TAB_ACCESS;
    }

    @Override
    public RouteDoc doc() {
        return RouteDoc.summary("Answers the caller's account: name, roles, permissions and the limits of their roles"
                + " (with several roles the most generous: the largest max_t2i_simultaneous, a model allowed by any"
                + " role, refused only when every role refuses it).")
                .answers(ApiField.of("user_name", JsonType.STRING, "The caller's name."),
                        ApiField.of("roles", JsonType.ARRAY, "The names of the caller's roles."),
                        ApiField.of("permissions", JsonType.ARRAY, "The permission ids the caller holds ('*' first,"
                                + " followed by every id, for an owner)."),
                        ApiField.of("max_t2i_simultaneous", JsonType.INTEGER,
                                "How many generations the caller may run at once."),
                        ApiField.of("model_whitelist", JsonType.ARRAY, "The models (or prefixes) the caller may use;"
                                + " empty allows every model."),
                        ApiField.of("model_blacklist", JsonType.ARRAY, "The models (or prefixes) the caller may not"
                                + " use."));
    }

    @Override
    public JsonObject handle(ApiCall call) {
        Identity caller = AccountAnswers.caller(call);
        List<Role> roles = rolesOf(caller);
        JsonObject result = new JsonObject();
        result.addProperty("user_name", caller.user());
        result.add("roles", AccountAnswers.array(roles.stream().map(Role::name).toList()));
        result.add("permissions", AccountAnswers.array(Permission.listed(caller.permissions())));
        result.addProperty("max_t2i_simultaneous",
                roles.stream().mapToInt(Role::maxT2iSimultaneous).max().orElse(0));
        result.add("model_whitelist", AccountAnswers.array(whitelist(roles)));
        result.add("model_blacklist", AccountAnswers.array(blacklist(roles)));
        return result;
    }

    private List<Role> rolesOf(Identity caller) {
        List<Role> roles = accounts.rolesOf(caller.user());
        if (roles.isEmpty() && !accounts.accountsEnabled()) {
            return accounts.state().roles().stream().filter(role -> role.name().equals(BuiltInRoles.OWNER)).toList();
        }
        return roles;
    }

    /** Every role's allowed models together; empty (all allowed) when any role allows all. */
    private static Set<String> whitelist(List<Role> roles) {
        Set<String> allowed = new LinkedHashSet<>();
        for (Role role : roles) {
            if (role.modelWhitelist().isEmpty()) {
                return Set.of();
            }
            allowed.addAll(role.modelWhitelist());
        }
        return allowed;
    }

    /** The models every role refuses. */
    private static Set<String> blacklist(List<Role> roles) {
        if (roles.isEmpty()) {
            return Set.of();
        }
        Set<String> refused = new LinkedHashSet<>(roles.get(0).modelBlacklist());
        roles.forEach(role -> refused.retainAll(role.modelBlacklist()));
        return refused;
    }
}
