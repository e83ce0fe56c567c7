package dev.switchboard.plugins.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class UntrustedTextTest {
    @Test
    void sanitizesRemoteText() {
        assertThat(UntrustedText.sanitize("  a\r\n\tb\u0007c\u202e d  ", 80)).isEqualTo("a b c d");
        assertThat(UntrustedText.sanitize("abcdef", 3)).isEqualTo("abc...");
        assertThat(UntrustedText.sanitize("", 3)).isEmpty();
    }
}
