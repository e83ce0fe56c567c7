package dev.switchboard.server.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Several roles' limits combined, and the limits a user gets from them. */
final class RoleLimitsTest {
    private static final RoleLimits SDXL_ONLY = RoleLimits.of(2, List.of("sdxl/"), List.of());
    private static final RoleLimits NO_SECRET = RoleLimits.of(5, List.of(), List.of("secret"));
    private static final RoleLimits NO_GENERATIONS = RoleLimits.of(0, List.of(), List.of());

    @Test
    void theMostGenerousRoleSetsTheRunningBound() {
        assertThat(RoleLimits.maxRunning(List.of(SDXL_ONLY, NO_SECRET))).isEqualTo(5);
        assertThat(RoleLimits.maxRunning(List.of(NO_GENERATIONS, SDXL_ONLY))).isEqualTo(2);
        assertThat(RoleLimits.maxRunning(List.of(NO_GENERATIONS))).isZero();
        assertThat(RoleLimits.maxRunning(List.of())).isZero();
    }

    @Test
    void aModelIsAllowedWhenAnyRoleAllowsIt() {
        List<RoleLimits> both = List.of(SDXL_ONLY, NO_SECRET);
        assertThat(RoleLimits.mayUseModel(both, "secret")).isFalse();
        assertThat(RoleLimits.mayUseModel(both, "sdxl/base")).isTrue();
        assertThat(RoleLimits.mayUseModel(both, "flux")).isTrue();
        assertThat(RoleLimits.mayUseModel(List.of(SDXL_ONLY), "flux")).isFalse();
        assertThat(RoleLimits.mayUseModel(List.of(SDXL_ONLY, RoleLimits.of(1, List.of(), List.of("sdxl/"))),
                "sdxl/secret")).isTrue();
        assertThat(RoleLimits.mayUseModel(List.of(), "flux")).isFalse();
    }

    @Test
    void aNegativeBoundIsRefused() {
        assertThatThrownBy(() -> RoleLimits.of(-1, List.of(), List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void userLimitsFromRolesFollowTheSameRule() {
        Map<String, List<RoleLimits>> roles = Map.of("ann", List.of(SDXL_ONLY, NO_SECRET), "bob", List.of(SDXL_ONLY));
        UserLimits limits = UserLimits.fromRoles(user -> roles.getOrDefault(user, List.of()));

        assertThat(limits.maxRunning("ann")).isEqualTo(5);
        assertThat(limits.maxRunning("bob")).isEqualTo(2);
        assertThat(limits.maxRunning("nobody")).isZero();
        assertThat(limits.mayUseModel("ann", "flux")).isTrue();
        assertThat(limits.mayUseModel("bob", "flux")).isFalse();
        assertThat(limits.models("bob").test("sdxl/base")).isTrue();
        assertThat(limits.models("bob").test("flux")).isFalse();
        assertThat(limits.mayUseModel("nobody", "sdxl/base")).isFalse();
    }

    @Test
    void noneLimitsNothing() {
        assertThat(UserLimits.NONE.maxRunning("anyone")).isEqualTo(Integer.MAX_VALUE);
        assertThat(UserLimits.NONE.mayUseModel("anyone", "secret")).isTrue();
        assertThat(UserLimits.NONE.models("anyone").test("secret")).isTrue();
    }
}
