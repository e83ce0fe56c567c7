package dev.switchboard.server.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class UserNamesTest {

    @Test
    void namesAreLowerCaseAsciiOfAtMost64StartingWithALetterOrDigit() {
        assertThat(UserNames.isValid("alice")).isTrue();
        assertThat(UserNames.isValid("0.b_c-d")).isTrue();
        assertThat(UserNames.isValid("a".repeat(64))).isTrue();
        assertThat(UserNames.isValid("a".repeat(65))).isFalse();
        assertThat(UserNames.isValid("")).isFalse();
        assertThat(UserNames.isValid(null)).isFalse();
        assertThat(UserNames.isValid("Alice")).isFalse();
        assertThat(UserNames.isValid(".hidden")).isFalse();
        assertThat(UserNames.isValid("-x")).isFalse();
        assertThat(UserNames.isValid("a/b")).isFalse();
        assertThat(UserNames.isValid("a b")).isFalse();
        assertThat(UserNames.isValid("caf\u00e9")).isFalse();
    }

    @Test
    void aTypedNameIsLowerCasedButOnlyFromAscii() {
        assertThat(UserNames.normalize("Alice")).contains("alice");
        assertThat(UserNames.normalize("bob")).contains("bob");
        assertThat(UserNames.normalize("\u212Aelvin")).as("the Kelvin sign is no 'k'").isEmpty();
        assertThat(UserNames.normalize("../x")).isEmpty();
        assertThat(UserNames.normalize(null)).isEmpty();
    }
}
