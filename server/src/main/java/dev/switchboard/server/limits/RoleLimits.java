package dev.switchboard.server.limits;

import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.List;

/**
 * One role's generation limits, and the rule for a user holding several roles: the user may run as many jobs at
 * once as the most generous role allows, and may use a model when any role allows it. A user with no roles may do
 * neither.
 *
 * @param maxRunning the role's {@code max_t2i_simultaneous}; 0 allows no generations
 * @param models the role's model whitelist and blacklist
 */
public record RoleLimits(int maxRunning, ModelRules models) {
    public RoleLimits {
        requireNonNull(models, "models is null");
        if (maxRunning < 0) {
            throw new IllegalArgumentException("maxRunning must not be negative: " + maxRunning);
        }
    }

    /**
     * A role's limits from its fields as a role record holds them.
     *
     * @param maxT2iSimultaneous the role's {@code max_t2i_simultaneous}
     * @param whitelist the role's {@code model_whitelist} entries
     * @param blacklist the role's {@code model_blacklist} entries
     */
    public static RoleLimits of(int maxT2iSimultaneous, List<String> whitelist, List<String> blacklist) {
        return new RoleLimits(maxT2iSimultaneous, new ModelRules(whitelist, blacklist));
    }

    /** @return the largest {@code maxRunning} of the roles, 0 for none */
    public static int maxRunning(Collection<RoleLimits> roles) {
        int most = 0;
        for (RoleLimits role : roles) {
            most = Math.max(most, role.maxRunning());
        }
        return most;
    }

    /** @return whether any of the roles allows the model */
    public static boolean mayUseModel(Collection<RoleLimits> roles, String model) {
        for (RoleLimits role : roles) {
            if (role.models().allows(model)) {
                return true;
            }
        }
        return false;
    }
}
