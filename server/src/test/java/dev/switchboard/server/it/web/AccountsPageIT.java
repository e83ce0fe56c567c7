package dev.switchboard.server.it.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.switchboard.testkit.server.SwarmApiClient;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * The page's login form and Users section in a real headless Chromium against a real server with accounts: the
 * first owner is added through the API by the single user of a server without accounts (which turns accounts on),
 * then everything else goes through the page as its users would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccountsPageIT {
    private static final String OWNER = "boss";
    private static final String OWNER_PASSWORD = "owner-canary-Pw-7d1f";
    private static final String USER = "alice";
    private static final String USER_PASSWORD = "user-canary-Pw-93ab";

    private HeadlessChromium browser;
    private AccountsPage page;
    private WebTestServer server;

    @BeforeAll
    void startBrowser(@TempDir Path profile) {
        browser = HeadlessChromium.start(profile);
        page = new AccountsPage(browser);
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    @Test
    void withoutAccountsThePageHasNoLoginAndNoAccountViews(@TempDir Path data) throws Exception {
        server = WebTestServer.start(data, WebTestServer.shippedPlugins());
        page.open(server.url(), "users");

        assertThat(page.loginFormShown()).isFalse();
        assertThat(page.shown("user-box")).isFalse();
        assertThat(page.navigation()).containsExactly("Generate", "Gallery", "Backends");
        // #users names a view the single user has no use for: the first view is shown instead.
        assertThat(page.currentView()).isEqualTo("generate");
        assertThat(page.script("return document.documentElement.className")).isEqualTo("");
    }

    @Test
    void ownerLogsInAndAddsAUserWhoSeesOnlyWhatTheirRoleAllows(@TempDir Path data) throws Exception {
        server = WebTestServer.start(data, WebTestServer.shippedPlugins());
        JsonObject added = server.client().call("AdminAddUser",
                "{\"name\":\"" + OWNER + "\",\"password\":\"" + OWNER_PASSWORD + "\",\"role\":\"owner\"}");
        assertThat(added.has("error")).as(added.toString()).isFalse();

        // Accounts are on: only the login form.
        page.open(server.url(), "users");
        assertThat(page.loginFormShown()).isTrue();
        assertThat(page.navigation()).isEmpty();
        assertThat(page.currentView()).isNull();
        assertThat(page.shown("queue")).isFalse();
        page.screenshots("accounts-01-login");

        // A wrong password: the server's words, and the typed password gone from the field.
        page.submitLogin(OWNER, "not-the-password");
        String shownError = page.awaitLoginError();
        JsonObject serverAnswer = server.client().call("Login",
                "{\"username\":\"" + OWNER + "\",\"password\":\"not-the-password\"}");
        assertThat(serverAnswer.get("error_id").getAsString()).isEqualTo("invalid_login");
        assertThat(shownError).isEqualTo(serverAnswer.get("error").getAsString());
        assertThat(page.fieldValue("login-password")).isEmpty();
        assertThat(page.loginFormShown()).isTrue();
        page.screenshots("accounts-02-wrong-password");

        // Too many failures for one name: the server's rate limit, said so.
        SwarmApiClient guesser = server.client();
        JsonObject limited = null;
        for (int attempt = 0; attempt < 10 && limited == null; attempt++) {
            JsonObject answer = guesser.call("Login", "{\"username\":\"nobody\",\"password\":\"guess-" + attempt + "\"}");
            if ("ratelimit".equals(answer.get("error_id").getAsString())) {
                limited = answer;
            }
        }
        assertThat(limited).as("the server rate-limits repeated failures").isNotNull();
        page.submitLogin("nobody", "one-more-guess");
        assertThat(page.awaitLoginError()).startsWith(limited.get("error").getAsString())
                .contains("Logins are paused after repeated failures.");

        // The owner logs in: their name in the header, the Users view they asked for.
        page.logIn(OWNER, OWNER_PASSWORD);
        assertThat(page.userName()).isEqualTo(OWNER);
        assertThat(page.navigation()).containsExactly("Generate", "Gallery", "Backends", "Users", "Audit log",
                "My account");
        assertThat(page.currentView()).isEqualTo("users");
        assertThat(page.awaitUserRow(OWNER)).isEqualTo("owner");
        assertThat(page.roleChoices()).contains("owner", "admin", "user", "guest");
        // The login cookie is HttpOnly: no script on the page can read it.
        assertThat((String) page.script("return document.cookie")).doesNotContain("swarm_token");
        page.screenshots("accounts-03-users");

        // A password the server refuses: its reason is shown and nobody is added.
        page.submitAddUser(USER, "short", "user");
        String refusal = page.awaitAddUserError();
        assertThat(refusal).contains("8");
        assertThat(page.displayed(By.cssSelector("#users-table tr[data-user='" + USER + "']"))).isFalse();
        assertThat(page.fieldValue("add-user-password")).isEmpty();

        page.submitAddUser(USER, USER_PASSWORD, "user");
        assertThat(page.awaitUserRow(USER)).isEqualTo("user");
        assertThat(page.usersStatus()).isEqualTo("Added " + USER + " as user.");
        assertThat(page.fieldValue("add-user-password")).isEmpty();
        assertThat(page.everythingInThePage()).doesNotContain(OWNER_PASSWORD).doesNotContain(USER_PASSWORD);
        page.screenshots("accounts-04-user-added");

        // An API key: shown once, working over the API as the owner, gone from the page once its dialog closes.
        String key = page.createKey("render script");
        assertThat(key).isNotBlank();
        assertThat(page.displayed(By.cssSelector("#key-dialog .note"))).isTrue();
        SwarmApiClient script = new SwarmApiClient(server.url(), Map.of("Authorization", "Bearer " + key));
        assertThat(script.postRaw("GetNewSession", "{}").json().get("user_id").getAsString()).isEqualTo(OWNER);
        page.closeKeyDialog("render script");
        assertThat(page.everythingInThePage()).doesNotContain(key);
        // The owner may configure roles: a permission ticked for guest is saved.
        assertThat(page.togglePermissionAndSave("guest", "view_image_history")).isEqualTo("Saved the role guest.");
        JsonArray guestPermissions = script.call("AdminListRoles").getAsJsonObject("roles")
                .getAsJsonObject("guest").getAsJsonArray("permissions");
        assertThat(guestPermissions.asList().stream().map(JsonElement::getAsString)).contains("view_image_history");
        // The audit log names who added whom.
        assertThat(page.auditLog()).contains("AdminAddUser").contains(USER);

        page.logOut();
        assertThat(page.shown("user-box")).isFalse();
        assertThat(page.navigation()).isEmpty();

        // The new user: no Users section, no backends and none of their actions.
        page.logIn(USER, USER_PASSWORD);
        assertThat(page.navigation()).containsExactly("Generate", "Gallery", "My account");
        assertThat(page.currentView()).isEqualTo("generate");
        assertThat(page.shown("view-users")).isFalse();
        page.open(server.url(), "backends");
        assertThat(page.currentView()).isEqualTo("generate");
        for (String control : new String[] {"add-backend", "restart-all", "free-vram", "free-ram", "gen-backend"}) {
            assertThat(page.shown(control)).as(control).isFalse();
        }
        assertThat(page.shown("gen-submit")).isTrue();
        // Every gated permission she lacks hides what needs it, and only those: a probe element per id.
        @SuppressWarnings("unchecked")
        Map<String, Object> probes = (Map<String, Object>) page.asyncScript("""
                const done = arguments[arguments.length - 1];
                import('/js/account.js').then(({ GATED }) => {
                  const result = {};
                  for (const id of GATED) {
                    const probe = document.createElement('span');
                    probe.dataset.needs = id;
                    probe.textContent = id;
                    document.body.append(probe);
                    result[id] = { lacks: document.documentElement.classList.contains('lacks-' + id),
                      hidden: getComputedStyle(probe).display === 'none' };
                    probe.remove();
                  }
                  done(result);
                });""");
        assertThat(probes).hasSizeGreaterThanOrEqualTo(10);
        probes.forEach((id, probe) -> assertThat(((Map<?, ?>) probe).get("hidden")).as(id)
                .isEqualTo(((Map<?, ?>) probe).get("lacks")));
        assertThat(probes.keySet()).contains("manage_users", "view_backends_list", "add_remove_backends");
        assertThat(((Map<?, ?>) probes.get("manage_users")).get("lacks")).isEqualTo(true);
        assertThat(((Map<?, ?>) probes.get("basic_image_generation")).get("lacks")).isEqualTo(false);
        assertThat(page.everythingInThePage()).doesNotContain(USER_PASSWORD);
        page.screenshots("accounts-05-plain-user");
        page.logOut();
        assertThat(page.loginFormShown()).isTrue();
    }
}
