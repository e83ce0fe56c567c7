package dev.switchboard.server.limits;

import java.util.Collection;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What a user may do when generating, from their roles (SwarmUI's role limits): the dispatcher never runs more
 * of a user's jobs at once than {@link #maxRunning}, a generation naming a model {@link #mayUseModel} refuses is
 * refused before anything is queued, and {@code ListModels} leaves such models out. Answers must be cheap (they
 * are asked for every dispatch round and every listed model) and thread-safe; they may change at any time (a
 * role edited), and each answer is used as it is given.
 */
public interface UserLimits {
    /** No limits, as when accounts are off: any number of jobs at once, every model. */
    UserLimits NONE = new UserLimits() {
        @Override
        public int maxRunning(String user) {
            return Integer.MAX_VALUE;
        }

        @Override
        public boolean mayUseModel(String user, String model) {
            return true;
        }

        @Override
        public String toString() {
            return "UserLimits.NONE";
        }
    };

    /**
     * @param user the user id, e.g. {@code local}
     * @return the most of the user's jobs that may run at once (SwarmUI's {@code max_t2i_simultaneous}); 0 means
     *     the user may not generate at all, {@link Integer#MAX_VALUE} means no limit
     */
    int maxRunning(String user);

    /**
     * @param user the user id
     * @param model a model name as listed or requested, e.g. {@code sdxl/base.safetensors}
     * @return whether the user may use the model (see {@link ModelRules} for the matching rule)
     */
    boolean mayUseModel(String user, String model);

    /**
     * The user's model rule as one predicate, for checking many names at once (ListModels); an implementation may
     * override it to look the user's roles up once.
     */
    default Predicate<String> models(String user) {
        return model -> mayUseModel(user, model);
    }

    /**
     * Limits read from each user's roles by {@link RoleLimits}'s rule (the most generous {@code maxRunning}; a
     * model any role allows).
     *
     * @param rolesOf a user's roles' limits now (empty for an unknown user, who may then do nothing); asked on
     *     every answer, so it must be cheap and thread-safe
     */
    static UserLimits fromRoles(Function<String, ? extends Collection<RoleLimits>> rolesOf) {
        return new UserLimits() {
            @Override
            public int maxRunning(String user) {
                return RoleLimits.maxRunning(rolesOf.apply(user));
            }

            @Override
            public boolean mayUseModel(String user, String model) {
                return RoleLimits.mayUseModel(rolesOf.apply(user), model);
            }

            @Override
            public Predicate<String> models(String user) {
                Collection<RoleLimits> roles = rolesOf.apply(user);
                return model -> RoleLimits.mayUseModel(roles, model);
            }
        };
    }
}
