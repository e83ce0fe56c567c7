package dev.switchboard.server.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.server.accounts.LoginThrottleTest.MovingClock;
import dev.switchboard.server.sessions.Credentials;
import dev.switchboard.server.sessions.Identity;
import dev.switchboard.server.sessions.InvalidCredentialsException;
import dev.switchboard.server.sessions.Permission;
import dev.switchboard.server.sessions.Session;
import dev.switchboard.server.sessions.SessionService;
import dev.switchboard.server.store.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccountsTest {
    static final PasswordHasher CHEAP = new PasswordHasher(new PasswordHasher.Cost(64, 1, 1));
    private static final String ADDRESS = "192.0.2.7";

    @TempDir
    Path data;
    private final MovingClock clock = new MovingClock();
    private final SessionService sessions = new SessionService();
    private FailingFile file;
    private Accounts accounts;

    @BeforeEach
    void open() {
        file = new FailingFile(new AccountsFile(data));
        accounts = new Accounts(file, CHEAP, sessions, clock);
    }

    private static Credentials bearer(String key) {
        return new Credentials(Optional.of(key), Optional.empty(), ADDRESS);
    }

    private static Credentials cookie(String token) {
        return new Credentials(Optional.empty(), Optional.of(token), ADDRESS);
    }

    private Identity owner() throws Exception {
        accounts.addUser(Identity.LOCAL, "Alice", "alice-password", "owner");
        return accounts.resolve(cookie(accounts.login("alice", "alice-password", ADDRESS).token()));
    }

    @Test
    void withoutUsersEveryCallerIsTheLocalUser() throws Exception {
        assertThat(accounts.accountsEnabled()).isFalse();
        assertThat(accounts.resolve(Credentials.NONE)).isEqualTo(Identity.LOCAL);
        assertThat(accounts.resolve(bearer("anything"))).isEqualTo(Identity.LOCAL);
    }

    @Test
    void theFirstUserTurnsAccountsOnEndsTheLocalSessionsAndIsSavedHashed() throws Exception {
        Session local = sessions.create("local");
        Session named = sessions.create("bob"); // X-SWARM-USER_ID: bob, before accounts; it holds "*"

        accounts.addUser(Identity.LOCAL, "Alice", "alice-password", "owner");

        assertThat(accounts.accountsEnabled()).isTrue();
        assertThat(sessions.find(local.id())).isEmpty();
        assertThat(sessions.find(named.id())).isEmpty();
        assertThat(accounts.resolve(Credentials.NONE)).isEqualTo(Identity.ANONYMOUS);
        String stored = Files.readString(data.resolve(AccountsFile.FILE_NAME));
        assertThat(stored).contains("\"alice\"").contains("$argon2id$").doesNotContain("alice-password");
        Accounts reopened = new Accounts(new AccountsFile(data), CHEAP, new SessionService(), clock);
        assertThat(reopened.user("ALICE")).map(UserAccount::roles).contains(List.of("owner"));
    }

    @Test
    void aLoginIsAnIdentityUntilLogoutWhichEndsItsSessions() throws Exception {
        Identity alice = owner();
        assertThat(alice.user()).isEqualTo("alice");
        assertThat(alice.has(Permission.CONFIGURE_ROLES)).isTrue();
        Session session = sessions.create(alice);

        accounts.logout(session.identity());

        assertThat(sessions.find(session.id())).isEmpty();
        assertThat(accounts.resolve(cookie("whatever"))).isEqualTo(Identity.ANONYMOUS);
    }

    @Test
    void wrongPasswordAndUnknownNameFailAlikeThenTheNameIsRateLimited() throws Exception {
        owner();
        for (String name : new String[] {"alice", "nobody"}) {
            assertThatThrownBy(() -> accounts.login(name, "wrong-password", "198.51.100.1"))
                    .isInstanceOf(AccountException.class).hasMessage("Login failed: wrong name or password.")
                    .extracting(e -> ((AccountException) e).errorId()).isEqualTo(Optional.of("invalid_login"));
        }
        for (int i = 1; i < LoginThrottle.PER_USER; i++) {
            assertThatThrownBy(() -> accounts.login("alice", "wrong-password", "198.51.100.1"))
                    .isInstanceOf(AccountException.class);
        }
        assertThatThrownBy(() -> accounts.login("alice", "alice-password", "198.51.100.2"))
                .extracting(e -> ((AccountException) e).errorId()).isEqualTo(Optional.of("ratelimit"));
        clock.advance(LoginThrottle.WINDOW.plusSeconds(1));
        assertThat(accounts.login("alice", "alice-password", "198.51.100.2").user()).isEqualTo("alice");
    }

    @Test
    void anApiKeyActsAsItsUserUntilRevokedOrExpired() throws Exception {
        Identity alice = owner();
        CreatedKey key = accounts.createApiKey(alice, "ci", Optional.of(clock.instant().plus(
                Duration.ofDays(1))));
        assertThat(key.text()).startsWith("sb_");
        assertThat(Files.readString(data.resolve(AccountsFile.FILE_NAME))).doesNotContain(key.text());

        Identity viaKey = accounts.resolve(bearer(key.text()));
        assertThat(viaKey.user()).isEqualTo("alice");
        assertThat(viaKey.origin()).isEqualTo("key:" + key.key().id());
        Session session = sessions.create(viaKey);

        clock.advance(Duration.ofDays(1));
        assertThatThrownBy(() -> accounts.resolve(bearer(key.text()))).isInstanceOf(InvalidCredentialsException.class)
                .hasMessageContaining("expired").hasMessageNotContaining(key.text());

        accounts.revokeApiKey(alice, key.key().id());
        assertThat(sessions.find(session.id())).isEmpty();
        assertThatThrownBy(() -> accounts.resolve(bearer(key.text()))).isInstanceOf(InvalidCredentialsException.class)
                .hasMessage("The API key is not valid: it is unknown or was revoked.");
        assertThatThrownBy(() -> accounts.resolve(bearer("sb_made-up"))).isInstanceOf(
                InvalidCredentialsException.class);
    }

    @Test
    void nobodyGivesOrTouchesPermissionsTheyDoNotHold() throws Exception {
        Identity alice = owner();
        accounts.addUser(alice, "bob", "bob-password", "admin");
        Identity bob = accounts.resolve(cookie(accounts.login("bob", "bob-password", ADDRESS).token()));

        assertThatThrownBy(() -> accounts.addUser(bob, "carol", "carol-password", "owner"))
                .hasMessageStartingWith("You may not give the role 'owner'");
        assertThatThrownBy(() -> accounts.deleteUser(bob, "alice"))
                .hasMessageStartingWith("You may not act on the user 'alice'");
        assertThatThrownBy(() -> accounts.setPassword(bob, "alice", "new-password"))
                .hasMessageStartingWith("You may not act on the user 'alice'");
        accounts.addUser(bob, "carol", "carol-password", "user");
        accounts.setPassword(bob, "carol", "carol-new-password");
        assertThat(accounts.login("carol", "carol-new-password", ADDRESS).user()).isEqualTo("carol");
        assertThatThrownBy(() -> accounts.deleteUser(alice, "alice"))
                .hasMessage("'alice' is the last user holding every permission; make another owner first.");
    }

    @Test
    void editingARoleReachesLiveSessionsAndDeletingAUserEndsThem() throws Exception {
        Identity alice = owner();
        accounts.addUser(alice, "carol", "carol-password", "user");
        Session carol = sessions.create(accounts.resolve(cookie(accounts.login("carol", "carol-password", ADDRESS)
                .token())));
        assertThat(carol.hasPermission(Permission.BASIC_IMAGE_GENERATION)).isTrue();

        Role user = accounts.state().roles().stream().filter(r -> r.name().equals("user")).findFirst().orElseThrow();
        accounts.editRole(alice, user.withPermissions(Set.of("fundamental")));
        assertThat(sessions.find(carol.id()).orElseThrow().hasPermission(Permission.BASIC_IMAGE_GENERATION)).isFalse();

        accounts.deleteUser(alice, "carol");
        assertThat(sessions.find(carol.id())).isEmpty();
    }

    @Test
    void rolesKeepTheirRules() throws Exception {
        Identity alice = owner();
        Role owner = accounts.state().roles().get(0);
        assertThatThrownBy(() -> accounts.editRole(alice, owner.withPermissions(Set.of("fundamental"))))
                .hasMessage("The owner role always holds every permission ('*').");
        accounts.addRole(alice, "Artists");
        Role artists = accounts.state().roles().stream().filter(r -> r.name().equals("artists")).findFirst()
                .orElseThrow();
        assertThatThrownBy(() -> accounts.editRole(alice, artists.withPermissions(Set.of("fly"))))
                .hasMessage("No permission has the id 'fly'; AdminListPermissions lists them.");
        accounts.addUser(alice, "dave", "dave-password", "artists");
        assertThatThrownBy(() -> accounts.deleteRole(alice, "artists"))
                .hasMessage("The role 'artists' is held by dave; give them another role first.");
        assertThatThrownBy(() -> accounts.deleteRole(alice, "guest"))
                .hasMessage("The built-in role 'guest' cannot be deleted.");
    }

    @Test
    void aDamagedUsersFileWithoutUsableBackupKeepsAccountsOnAndRefusesChanges() throws Exception {
        Files.writeString(data.resolve(AccountsFile.FILE_NAME), "{\"version\": 1, \"users\": [");
        Accounts damaged = new Accounts(new AccountsFile(data), CHEAP, sessions, clock);

        assertThat(damaged.problem()).isPresent();
        assertThat(damaged.accountsEnabled()).isTrue();
        assertThat(damaged.resolve(Credentials.NONE)).isEqualTo(Identity.ANONYMOUS);
        assertThat(damaged.limits().maxRunning("local")).isZero();
        assertThatThrownBy(() -> damaged.addUser(Identity.LOCAL, "mallory", "mallory-password", "owner"))
                .hasMessageContaining("users file");
        assertThat(Files.readString(data.resolve(AccountsFile.FILE_NAME))).isEqualTo("{\"version\": 1, \"users\": [");
    }

    @Test
    void aFailedSaveChangesNothing() throws Exception {
        Identity alice = owner();
        AccountsState before = accounts.state();
        file.failNext = true;

        assertThatThrownBy(() -> accounts.addUser(alice, "erin", "erin-password", "user"))
                .hasMessageEndingWith("Nothing was changed.");

        assertThat(accounts.state()).isEqualTo(before);
        assertThat(new Accounts(new AccountsFile(data), CHEAP, new SessionService(), clock).state())
                .isEqualTo(before);
    }

    @Test
    void changingOnesPasswordNeedsTheOldOneAndEndsOtherLogins() throws Exception {
        accounts.addUser(Identity.LOCAL, "Alice", "alice-password", "owner");
        String aliceToken = accounts.login("alice", "alice-password", ADDRESS).token();
        Identity alice = accounts.resolve(cookie(aliceToken));
        String otherLogin = accounts.login("alice", "alice-password", ADDRESS).token();

        assertThatThrownBy(() -> accounts.changePassword(alice, "not-it-at-all", "brand-new-password", ADDRESS))
                .hasMessage("The old password is not correct.");
        assertThatThrownBy(() -> accounts.changePassword(alice, "alice-password", "short", ADDRESS))
                .hasMessage("A password must have at least 8 characters.");
        accounts.changePassword(alice, "alice-password", "brand-new-password", ADDRESS);

        assertThat(accounts.resolve(cookie(otherLogin))).isEqualTo(Identity.ANONYMOUS);
        assertThat(accounts.resolve(cookie(aliceToken)).user()).as("the login that changed it stays").isEqualTo("alice");
        assertThat(accounts.login("alice", "brand-new-password", ADDRESS).user()).isEqualTo("alice");
    }

    /** The real users file, made to fail its next save (a full disk) on demand. */
    static final class FailingFile implements AccountsPersistence {
        private final AccountsFile file;
        boolean failNext;

        FailingFile(AccountsFile file) {
            this.file = file;
        }

        @Override
        public Loaded load() {
            return file.load();
        }

        @Override
        public void save(AccountsState state) throws StoreException {
            if (failNext) {
                failNext = false;
                throw new StoreException("Could not save the users file: No space left on device.");
            }
            file.save(state);
        }
    }
}
