package dev.switchboard.server.accounts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Accounts states for tests: distinct versions, each valid, hashed at a tiny Argon2id cost so tests stay fast. */
public final class SampleAccounts {
    /** The cheapest cost {@link PasswordHasher#isWellFormed} accepts. */
    public static final PasswordHasher.Cost TINY_COST = new PasswordHasher.Cost(8, 1, 1);
    private static final String HASH = new PasswordHasher(TINY_COST).hash("correct horse battery");

    private SampleAccounts() {
    }

    /**
     * @return version {@code n}: {@code n} users (the first an owner), the built-in roles plus a custom one with
     *     limits and model lists, and an API key per user, every second one expiring
     */
    public static AccountsState version(int n) {
        List<Role> roles = new ArrayList<>(BuiltInRoles.all());
        roles.add(new Role("artists", "Draws — with a snowman \u2603 and an emoji \uD83D\uDE00", Set.of("fundamental",
                "edit_user_settings"), 2, 3, true, List.of("sdxl/", "flux*"), List.of("sdxl/bad.safetensors")));
        List<UserAccount> users = new ArrayList<>();
        List<ApiKey> keys = new ArrayList<>();
        for (int index = 1; index <= n; index++) {
            String name = "user" + index;
            List<String> userRoles = index == 1 ? List.of(BuiltInRoles.OWNER) : List.of("user", "artists");
            Instant created = Instant.parse("2025-01-01T00:00:00Z").plusSeconds(index).plusNanos(index * 1000L);
            users.add(new UserAccount(name, HASH, userRoles, created));
            keys.add(new ApiKey("key" + index, name, "label " + index, "%064x".formatted(index), created,
                    index % 2 == 0 ? Optional.of(created.plusSeconds(86_400)) : Optional.empty()));
        }
        return new AccountsState(users, roles, keys);
    }
}
