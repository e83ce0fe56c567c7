package dev.switchboard.server.routes.accounts;

import dev.switchboard.server.http.RouteFamilyModule;

/**
 * The account routes (SwarmUI's user and role routes, Switchboard's API-key routes) and GetAuditLog, over the
 * {@code Accounts} and {@code AuditLog} the server binds.
 */
public final class AccountRoutesModule extends RouteFamilyModule {
    @Override
    protected void configureRoutes() {
        route(LoginRoute.class);
        route(LogoutRoute.class);
        route(ChangePasswordRoute.class);
        route(GetMyUserDataRoute.class);
        route(AdminAddUserRoute.class);
        route(AdminDeleteUserRoute.class);
        route(AdminListUsersRoute.class);
        route(AdminSetUserPasswordRoute.class);
        route(AdminGetUserInfoRoute.class);
        route(AdminAddRoleRoute.class);
        route(AdminEditRoleRoute.class);
        route(AdminDeleteRoleRoute.class);
        route(AdminListRolesRoute.class);
        route(AdminListPermissionsRoute.class);
        route(CreateApiKeyRoute.class);
        route(ListApiKeysRoute.class);
        route(RevokeApiKeyRoute.class);
        route(GetAuditLogRoute.class);
    }
}
