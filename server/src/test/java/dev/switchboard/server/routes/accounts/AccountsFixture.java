package dev.switchboard.server.routes.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.gson.JsonObject;
import dev.switchboard.server.accounts.AccountException;
import dev.switchboard.server.accounts.Accounts;
import dev.switchboard.server.accounts.AccountsState;
import dev.switchboard.server.accounts.PasswordHasher;
import dev.switchboard.server.http.ApiCall;
import dev.switchboard.server.http.ApiError;
import dev.switchboard.server.http.ApiParameterException;
import dev.switchboard.server.http.ApiRoute;
import dev.switchboard.server.sessions.Identity;
import dev.switchboard.server.sessions.Session;
import dev.switchboard.server.sessions.SessionService;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;

/** A real Accounts over an in-memory users file, sessions acting as its users, and calls of the routes. */
abstract class AccountsFixture {
    /** A cheap Argon2id cost: these tests check the routes, not the hashing. */
    static final PasswordHasher HASHER = new PasswordHasher(new PasswordHasher.Cost(64, 1, 1));
    static final String PASSWORD = "correct horse battery";
    static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    final SessionService sessions = new SessionService();
    final MemoryAccountsPersistence store = new MemoryAccountsPersistence();
    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    Accounts accounts;

    @BeforeEach
    void newAccounts() {
        accounts = new Accounts(store, HASHER, sessions, clock);
    }

    /** Adds a user with the fixture's password, as the command line's {@code user add} would. */
    void addUser(String name, String role) throws AccountException {
        accounts.addUser(Identity.LOCAL, name, PASSWORD, role);
    }

    /** @return a session of the user, with the permissions the user holds now */
    Session sessionOf(String user) {
        return sessions.create(new Identity(user, accounts.permissionsOf(user), ""));
    }

    /** @return the single user's session of a server without accounts */
    Session localSession() {
        return sessions.create(Identity.LOCAL);
    }

    /** @return a call with the session and a body of key, value pairs (strings, integers, booleans) */
    static ApiCall call(Session session, Object... keysAndValues) {
        JsonObject body = new JsonObject();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            String key = (String) keysAndValues[i];
            Object value = keysAndValues[i + 1];
            if (value instanceof Number number) {
                body.addProperty(key, number);
            } else if (value instanceof Boolean bool) {
                body.addProperty(key, bool);
            } else {
                body.addProperty(key, (String) value);
            }
        }
        return new ApiCall(body, Optional.ofNullable(session), Map.of());
    }

    /**
     * Runs a call that must be refused, and checks it changed nothing.
     *
     * @return the refusal
     */
    ApiError refused(ApiRoute route, ApiCall call) {
        AccountsState before = accounts.state();
        int saves = store.saves();
        Throwable thrown = catchThrowable(() -> route.handle(call));
        assertThat(thrown).isInstanceOf(ApiError.class);
        assertUnchanged(before, saves);
        return (ApiError) thrown;
    }

    /**
     * Checks that a call is refused with exactly this message (a route error without an error id, or a parameter
     * error), changing nothing.
     */
    void assertRefused(ApiRoute route, ApiCall call, String message) {
        AccountsState before = accounts.state();
        int saves = store.saves();
        Throwable thrown = catchThrowable(() -> route.handle(call));
        assertThat(thrown).isInstanceOfAny(ApiError.class, ApiParameterException.class).hasMessage(message);
        if (thrown instanceof ApiError error) {
            assertThat(error.errorId()).isEmpty();
        }
        assertUnchanged(before, saves);
    }

    private void assertUnchanged(AccountsState before, int saves) {
        assertThat(accounts.state()).isEqualTo(before);
        assertThat(store.saves()).as("saves after a refusal").isEqualTo(saves);
    }
}
