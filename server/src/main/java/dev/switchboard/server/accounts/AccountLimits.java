package dev.switchboard.server.accounts;

import static java.util.Objects.requireNonNull;

import dev.switchboard.server.limits.RoleLimits;
import dev.switchboard.server.limits.UserLimits;
import java.util.Collection;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;

/** Users' generation limits from their roles while accounts are on; none while they are off. */
final class AccountLimits implements UserLimits {
    private final BooleanSupplier accountsOn;
    private final UserLimits byRoles;

    AccountLimits(BooleanSupplier accountsOn, Function<String, ? extends Collection<RoleLimits>> rolesOf) {
        this.accountsOn = requireNonNull(accountsOn, "accountsOn is null");
        this.byRoles = UserLimits.fromRoles(rolesOf);
    }

    @Override
    public int maxRunning(String user) {
        return accountsOn.getAsBoolean() ? byRoles.maxRunning(user) : UserLimits.NONE.maxRunning(user);
    }

    @Override
    public boolean mayUseModel(String user, String model) {
        return !accountsOn.getAsBoolean() || byRoles.mayUseModel(user, model);
    }

    @Override
    public Predicate<String> models(String user) {
        return accountsOn.getAsBoolean() ? byRoles.models(user) : UserLimits.NONE.models(user);
    }
}
