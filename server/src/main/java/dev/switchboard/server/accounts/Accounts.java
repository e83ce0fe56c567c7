package dev.switchboard.server.accounts;

import static java.util.Objects.requireNonNull;

import dev.switchboard.server.limits.UserLimits;
import dev.switchboard.server.sessions.CallerResolver;
import dev.switchboard.server.sessions.Credentials;
import dev.switchboard.server.sessions.Identity;
import dev.switchboard.server.sessions.InvalidCredentialsException;
import dev.switchboard.server.sessions.Permission;
import dev.switchboard.server.sessions.SessionService;
import dev.switchboard.server.store.StoreException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accounts of this server: who a request acts as, logins, and every change to users, roles and API keys.
 * Reads take no lock (one immutable snapshot); changes are serialized, saved to the users file before they are
 * served, and then reach the live sessions (a user's new permissions, a deleted user's or revoked key's sessions
 * ended). Accounts are enabled while at least one user exists. Thread-safe.
 */
public final class Accounts implements CallerResolver {
    /** The most API keys one user may hold. */
    static final int MAX_KEYS_PER_USER = 100;

    private static final Logger LOG = LoggerFactory.getLogger(Accounts.class);
    private static final String KEY_PREFIX = "sb_";

    private final AccountsPersistence persistence;
    private final PasswordHasher hasher;
    private final SessionService sessions;
    private final Clock clock;
    private final LoginThrottle throttle;
    private final Secrets secrets = new Secrets();
    private final Logins logins;
    private final Optional<String> problem;
    /**
     * A hash of a password nobody has, checked when a name is unknown so both cases take as long. Made at the
     * first login rather than at start-up, which it would slow by a hash's time.
     */
    private volatile String decoyHash;
    private final Object changeLock = new Object();
    private final List<Runnable> changeListeners = new CopyOnWriteArrayList<>();
    private volatile AccountsSnapshot snapshot;

    public Accounts(AccountsPersistence persistence, PasswordHasher hasher, SessionService sessions, Clock clock) {
        this.persistence = requireNonNull(persistence, "persistence is null");
        this.hasher = requireNonNull(hasher, "hasher is null");
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.throttle = new LoginThrottle(clock);
        this.logins = new Logins(clock, secrets);
        AccountsPersistence.Loaded loaded = persistence.load();
        this.problem = loaded.problem();
        this.snapshot = new AccountsSnapshot(loaded.state());
    }

    /** Runs {@code listener} after every saved change (e.g. the dispatcher re-reads users' limits). */
    public void addChangeListener(Runnable listener) {
        changeListeners.add(requireNonNull(listener, "listener is null"));
    }

    /**
     * Accounts are on while a user exists, and also whenever the users file cannot be used: a damaged file
     * whose backups hold no user must not turn the server into a single-user one where everyone holds everything.
     */
    @Override
    public boolean accountsEnabled() {
        return problem.isPresent() || snapshot.hasUsers();
    }

    /** @return why the users file cannot be used, when it cannot (every change is then refused) */
    public Optional<String> problem() {
        return problem;
    }

    @Override
    public Identity resolve(Credentials credentials) throws InvalidCredentialsException {
        AccountsSnapshot current = snapshot;
        if (!accountsEnabled()) {
            return Identity.LOCAL;
        }
        if (credentials.bearerToken().isPresent()) {
            ApiKey key = current.keyByHash(Secrets.sha256(credentials.bearerToken().get()))
                    .orElseThrow(() -> new InvalidCredentialsException(
                            "The API key is not valid: it is unknown or was revoked."));
            if (key.expiredAt(clock.instant())) {
                throw new InvalidCredentialsException("The API key '" + key.label() + "' expired at "
                        + key.expires().orElseThrow() + ".");
            }
            return new Identity(key.user(), current.permissionsOf(key.user()), "key:" + key.id());
        }
        if (credentials.loginToken().isPresent()) {
            Optional<Logins.Login> login = logins.find(credentials.loginToken().get());
            if (login.isPresent() && current.user(login.get().user()).isPresent()) {
                String user = login.get().user();
                return new Identity(user, current.permissionsOf(user), login.get().origin());
            }
        }
        return Identity.ANONYMOUS;
    }

    /**
     * Checks a name and password and starts a login.
     *
     * @throws AccountException {@code invalid_login} for a wrong name or password (the same for both),
     *     {@code ratelimit} after too many failures for the name or from the address
     */
    public LoginResult login(String name, String password, String address) throws AccountException {
        String user = UserNames.key(name);
        if (!throttle.allows(user, address)) {
            LOG.warn("Refused a login attempt for '{}' from {}: too many failures", user, address);
            throw new AccountException(AccountException.RATE_LIMIT,
                    "Too many failed logins; wait a few minutes and try again.");
        }
        Optional<UserAccount> account = snapshot.user(user);
        boolean matches = hasher.matches(password, account.map(UserAccount::passwordHash).orElseGet(this::decoy));
        if (account.isEmpty() || !matches) {
            throttle.failed(user, address);
            LOG.warn("Failed login for '{}' from {}", user, address);
            throw new AccountException(AccountException.INVALID_LOGIN, "Login failed: wrong name or password.");
        }
        throttle.succeeded(user);
        Logins.Started started = logins.start(user);
        LOG.info("User '{}' logged in from {}", user, address);
        return new LoginResult(user, started.token(), Logins.LIFETIME.toSeconds());
    }

    private String decoy() {
        String decoy = decoyHash;
        if (decoy == null) {
            decoy = hasher.hash(secrets.token(24));
            decoyHash = decoy;
        }
        return decoy;
    }

    /** Ends a login (the caller's origin, if it is one) and every session made through it. */
    public void logout(Identity caller) {
        if (caller.origin().startsWith("login:")) {
            logins.endOrigin(caller.origin());
            sessions.endOrigin(caller.origin());
            LOG.info("User '{}' logged out", caller.user());
        }
    }

    /** @return the current users, roles and keys */
    public AccountsState state() {
        return snapshot.state();
    }

    /** @return a user, if one has the name */
    public Optional<UserAccount> user(String name) {
        return snapshot.user(UserNames.key(name));
    }

    /** @return a user's permission ids now; empty for an unknown user */
    public List<String> permissionsOf(String user) {
        return snapshot.permissionsOf(user);
    }

    /**
     * The generation limits of users' roles, read at each call: without accounts none apply; with accounts a
     * user's roles decide, and a name that is no user (a deleted one) may run nothing.
     */
    public UserLimits limits() {
        return new AccountLimits(this::accountsEnabled, user -> snapshot.limitsOf(user));
    }

    /** @return a user's roles now */
    public List<Role> rolesOf(String user) {
        return snapshot.rolesOf(user);
    }

    /** Adds a user with one role. */
    public void addUser(Identity actor, String name, String password, String roleName) throws AccountException {
        String user = UserNames.checked(name, "user");
        UserNames.checkPassword(password);
        change(current -> {
            if (current.user(user).isPresent()) {
                throw new AccountException("A user named '" + user + "' already exists.");
            }
            Role role = AccountRules.role(current, roleName);
            AccountRules.checkMayGrant(actor, role.permissions(), "give the role '" + role.name() + "'");
            UserAccount account = new UserAccount(user, hasher.hash(password), List.of(role.name()),
                    clock.instant());
            return AccountRules.withUsers(current.state(), AccountRules.plus(current.state().users(), account));
        });
    }

    /** Deletes a user, their API keys, logins and sessions. */
    public void deleteUser(Identity actor, String name) throws AccountException {
        String user = UserNames.key(name);
        change(current -> {
            AccountRules.checkMayActOn(actor, current, user);
            if (current.permissionsOf(user).contains(Permission.ALL) && current.owners() == 1) {
                throw new AccountException("'" + user + "' is the last user holding every permission; make"
                        + " another owner first.");
            }
            AccountsState state = current.state();
            return new AccountsState(
                    state.users().stream().filter(account -> !account.name().equals(user)).toList(),
                    state.roles(), state.apiKeys().stream().filter(key -> !key.user().equals(user)).toList());
        });
        logins.endUser(user);
    }

    /** Sets another user's password (an admin's reset); ends that user's logins. */
    public void setPassword(Identity actor, String name, String password) throws AccountException {
        String user = UserNames.key(name);
        UserNames.checkPassword(password);
        change(current -> {
            AccountRules.checkMayActOn(actor, current, user);
            return AccountRules.withPassword(current.state(), user, hasher.hash(password));
        });
        logins.endUser(user);
    }

    /** Changes the caller's own password after checking the old one; ends the caller's other logins. */
    public void changePassword(Identity actor, String oldPassword, String newPassword, String address)
            throws AccountException {
        if (actor.anonymous() || snapshot.user(actor.user()).isEmpty()) {
            throw new AccountException("Only a logged-in user can change their password.");
        }
        UserNames.checkPassword(newPassword);
        if (!throttle.allows(actor.user(), address)) {
            throw new AccountException(AccountException.RATE_LIMIT,
                    "Too many failed attempts; wait a few minutes and try again.");
        }
        change(current -> {
            UserAccount account = current.user(actor.user()).orElseThrow(
                    () -> new AccountException("The user '" + actor.user() + "' no longer exists."));
            if (!hasher.matches(oldPassword, account.passwordHash())) {
                throttle.failed(actor.user(), address);
                throw new AccountException("The old password is not correct.");
            }
            return AccountRules.withPassword(current.state(), actor.user(), hasher.hash(newPassword));
        });
        logins.endUserExcept(actor.user(), actor.origin());
        LOG.info("User '{}' changed their password from {}", actor.user(), address);
    }

    /** Adds a role with no permissions and the default limits (SwarmUI's AdminAddRole). */
    public void addRole(Identity actor, String name) throws AccountException {
        String role = UserNames.checked(name, "role");
        change(current -> {
            if (current.role(role).isPresent()) {
                throw new AccountException("A role named '" + role + "' already exists.");
            }
            Role added = new Role(role, "", Set.of(), BuiltInRoles.DEFAULT_MAX_OUTPATH_DEPTH,
                    BuiltInRoles.DEFAULT_MAX_T2I_SIMULTANEOUS, false, List.of(), List.of());
            AccountsState state = current.state();
            return new AccountsState(state.users(), AccountRules.plus(state.roles(), added), state.apiKeys());
        });
    }

    /** Replaces a role's description, permissions and limits. */
    public void editRole(Identity actor, Role edited) throws AccountException {
        editRole(actor, edited.name(), current -> edited);
    }

    /**
     * Edits a role: {@code edit} gets the role as it is now, under the change lock, so two edits of different
     * fields never undo each other.
     */
    public void editRole(Identity actor, String name, UnaryOperator<Role> edit) throws AccountException {
        change(current -> {
            Role existing = AccountRules.role(current, name);
            Role edited = edit.apply(existing);
            if (!edited.name().equals(existing.name())) {
                throw new AccountException("A role's name cannot be changed.");
            }
            AccountRules.checkRolePermissions(existing, edited.permissions());
            AccountRules.checkMayGrant(actor, edited.permissions(), "give these permissions");
            AccountsState state = current.state();
            List<Role> roles = state.roles().stream().map(role -> role.name().equals(existing.name()) ? edited : role)
                    .toList();
            return new AccountsState(state.users(), roles, state.apiKeys());
        });
    }

    /** Deletes a role that is not built in and that no user holds. */
    public void deleteRole(Identity actor, String name) throws AccountException {
        String role = UserNames.key(name);
        change(current -> {
            AccountRules.role(current, role);
            if (BuiltInRoles.isBuiltIn(role)) {
                throw new AccountException("The built-in role '" + role + "' cannot be deleted.");
            }
            List<String> holders = current.state().users().stream()
                    .filter(user -> user.roles().contains(role)).map(UserAccount::name).toList();
            if (!holders.isEmpty()) {
                throw new AccountException("The role '" + role + "' is held by " + String.join(", ", holders)
                        + "; give them another role first.");
            }
            AccountsState state = current.state();
            return new AccountsState(state.users(),
                    state.roles().stream().filter(r -> !r.name().equals(role)).toList(), state.apiKeys());
        });
    }

    /** Makes an API key acting as the caller. */
    public CreatedKey createApiKey(Identity actor, String label, Optional<Instant> expires) throws AccountException {
        if (actor.anonymous() || snapshot.user(actor.user()).isEmpty()) {
            throw new AccountException("API keys belong to users: add the first user with 'bin/switchboard user"
                    + " add NAME --role owner' and log in.");
        }
        if (label.length() > 200) {
            throw new AccountException("A key's label may have at most 200 characters.");
        }
        if (expires.isPresent() && !expires.get().isAfter(clock.instant())) {
            throw new AccountException("A key's expiry must be in the future.");
        }
        String text = KEY_PREFIX + secrets.token(32);
        ApiKey key = new ApiKey(secrets.token(9), actor.user(), label, Secrets.sha256(text), clock.instant(), expires);
        change(current -> {
            long held = current.state().apiKeys().stream().filter(k -> k.user().equals(actor.user())).count();
            if (held >= MAX_KEYS_PER_USER) {
                throw new AccountException("A user may hold at most " + MAX_KEYS_PER_USER + " API keys; revoke one.");
            }
            AccountsState state = current.state();
            return new AccountsState(state.users(), state.roles(), AccountRules.plus(state.apiKeys(), key));
        });
        return new CreatedKey(key, text);
    }

    /** @return the caller's own keys, or every user's when {@code all} and the caller manages users */
    public List<ApiKey> apiKeys(Identity actor, boolean all) {
        boolean everyone = all && actor.has(Permission.MANAGE_USERS);
        return snapshot.state().apiKeys().stream().filter(key -> everyone || key.user().equals(actor.user()))
                .toList();
    }

    /** Revokes a key: one's own, or, for a user manager, a key of a user they may act on. */
    public void revokeApiKey(Identity actor, String id) throws AccountException {
        change(current -> {
            ApiKey key = current.state().apiKeys().stream().filter(k -> k.id().equals(id)).findFirst()
                    .orElseThrow(() -> new AccountException("No API key has the id '" + id + "'."));
            if (!key.user().equals(actor.user())) {
                if (!actor.has(Permission.MANAGE_USERS)) {
                    throw new AccountException("No API key has the id '" + id + "'.");
                }
                AccountRules.checkMayActOn(actor, current, key.user());
            }
            AccountsState state = current.state();
            return new AccountsState(state.users(), state.roles(),
                    state.apiKeys().stream().filter(k -> !k.id().equals(id)).toList());
        });
        sessions.endOrigin("key:" + id);
    }

    /** A change to the state, or a refusal. */
    @FunctionalInterface
    interface Change {
        AccountsState apply(AccountsSnapshot current) throws AccountException;
    }

    private void change(Change change) throws AccountException {
        synchronized (changeLock) {
            if (problem.isPresent()) {
                throw new AccountException(problem.get());
            }
            AccountsSnapshot before = snapshot;
            AccountsSnapshot after = new AccountsSnapshot(change.apply(before));
            try {
                persistence.save(after.state());
            } catch (StoreException e) {
                LOG.error("Could not save the accounts", e);
                throw new AccountException(e.getMessage() + " Nothing was changed.");
            }
            snapshot = after;
            LiveSessions.update(sessions, before, after);
        }
        changeListeners.forEach(Runnable::run);
    }
}
