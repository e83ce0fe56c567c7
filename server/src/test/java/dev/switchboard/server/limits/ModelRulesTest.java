package dev.switchboard.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The model whitelist and blacklist rule, entry by entry. */
final class ModelRulesTest {
    private static ModelRules whitelist(String text) {
        return new ModelRules(ModelRules.split(text), List.of());
    }

    private static ModelRules blacklist(String text) {
        return new ModelRules(List.of(), ModelRules.split(text));
    }

    @Test
    void emptyListsAllowEveryModel() {
        assertThat(ModelRules.ALLOW_ALL.allows("sdxl/base.safetensors")).isTrue();
        assertThat(ModelRules.ALLOW_ALL.allowsAll()).isTrue();
        assertThat(new ModelRules(List.of(" ", ""), List.of()).allowsAll()).isTrue();
        assertThat(whitelist("a").allowsAll()).isFalse();
    }

    @Test
    void splitTrimsEntriesAndDropsBlankOnes() {
        assertThat(ModelRules.split(" sdxl/ , flux*,,base ,")).containsExactly("sdxl/", "flux*", "base");
        assertThat(ModelRules.split("")).isEmpty();
        assertThat(ModelRules.split(" , ")).isEmpty();
    }

    @Test
    void aPlainEntryMatchesTheWholeNameIgnoringCaseAndTheSafetensorsEnding() {
        ModelRules rules = whitelist("sdxl/Base");
        assertThat(rules.allows("sdxl/base")).isTrue();
        assertThat(rules.allows("SDXL/BASE.safetensors")).isTrue();
        assertThat(rules.allows("sdxl\\base.SAFETENSORS")).isTrue();
        assertThat(rules.allows("/sdxl/base")).isTrue();
        assertThat(rules.allows("sdxl/base2")).isFalse();
        assertThat(rules.allows("sdxl/bas")).isFalse();
        assertThat(rules.allows("other/sdxl/base")).isFalse();
        assertThat(rules.allows("sdxl/base.ckpt")).isFalse();
        assertThat(whitelist("secret.safetensors").allows("secret")).isTrue();
    }

    @Test
    void anEntryEndingInASlashMatchesEverythingInThatFolder() {
        ModelRules rules = whitelist("sdxl/");
        assertThat(rules.allows("sdxl/base.safetensors")).isTrue();
        assertThat(rules.allows("SDXL/turbo/x.safetensors")).isTrue();
        assertThat(rules.allows("sdxl\\x")).isTrue();
        assertThat(rules.allows("sdxl")).isFalse();
        assertThat(rules.allows("sdxl-base")).isFalse();
        assertThat(rules.allows("old/sdxl/base")).isFalse();
    }

    @Test
    void anEntryEndingInAStarMatchesByPrefix() {
        ModelRules rules = whitelist("flux*");
        assertThat(rules.allows("flux-dev.safetensors")).isTrue();
        assertThat(rules.allows("Flux/schnell")).isTrue();
        assertThat(rules.allows("flux")).isTrue();
        assertThat(rules.allows("sd-flux")).isFalse();
        assertThat(whitelist("*").allows("anything/at/all")).isTrue();
    }

    @Test
    void aModelMustMatchTheWhitelistAndNoBlacklistEntry() {
        ModelRules rules = new ModelRules(ModelRules.split("sdxl/, flux*"), ModelRules.split("sdxl/nsfw/, flux-pro"));
        assertThat(rules.allows("sdxl/base")).isTrue();
        assertThat(rules.allows("flux-dev")).isTrue();
        assertThat(rules.allows("sdxl/nsfw/x.safetensors")).isFalse();
        assertThat(rules.allows("flux-pro.safetensors")).isFalse();
        assertThat(rules.allows("flux-pro-2")).isTrue();
        assertThat(rules.allows("sd15/base")).isFalse();
    }

    @Test
    void aBlacklistAloneForbidsOnlyWhatItMatches() {
        ModelRules rules = blacklist("secret, private/");
        assertThat(rules.allows("secret.safetensors")).isFalse();
        assertThat(rules.allows("SECRET")).isFalse();
        assertThat(rules.allows("private/a")).isFalse();
        assertThat(rules.allows("secret2")).isTrue();
        assertThat(rules.allows("public/a")).isTrue();
    }
}
