package dev.switchboard.server.outputs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

final class OutputPathsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "a%20b|a b", "%2e%2e%2F|../", "%E6%97%A5|\u65e5", "100%|100%", "%zz|%zz", "%e6%97|%e6%97", "a+b|a+b",
        "%25|%", "%5C|\\", "%F0%9F%90%B1x|\ud83d\udc31x"})
    void percentEscapesAreDecodedAsUtf8AndBrokenOnesStay(String raw, String decoded) {
        assertThat(OutputPaths.percentDecode(raw)).isEqualTo(decoded);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "raw/2024-01-02/x.png|raw/2024-01-02/x.png", "raw\\x.png|raw/x.png", "raw//x.png|raw/x.png",
        "raw/../x.png|raw/x.png", "raw/....//x.png|raw/x.png", "raw/x.png/|raw/x.png", "r<a>w?/x*.png|raw/x.png",
        "' x.png '|x.png", "a/./b.png|a/./b.png"})
    void pathsAreCleanedAsSwarmDoes(String path, String clean) throws Exception {
        assertThat(OutputPaths.clean(path)).isEqualTo(clean);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/etc/passwd", "\\etc\\passwd", "//server/share/x", "C:/Windows/x", "c:x", "../x.png",
        "..\\..\\x", "..", "....", "", "  ", "/", "<>"})
    void absoluteEscapingAndEmptyPathsAreRefused(String path) {
        assertThatThrownBy(() -> OutputPaths.clean(path)).isInstanceOf(OutputPathException.class)
                .hasMessage("Unacceptable path. If you are the server owner, check program console log.");
    }

    @Test
    void aCleanPathResolvesInsideTheUserFolderOnly() throws Exception {
        Path user = Path.of("/data/outputs/local");
        assertThat(OutputPaths.resolve(user, "raw/x.png")).isEqualTo(Path.of("/data/outputs/local/raw/x.png"));
        assertThat(OutputPaths.resolve(user, "a/./b.png")).isEqualTo(Path.of("/data/outputs/local/a/b.png"));
        assertThatThrownBy(() -> OutputPaths.resolve(user, ".")).isInstanceOf(OutputPathException.class);
        assertThatThrownBy(() -> OutputPaths.checkInside(user, Path.of("/data/outputs/other/x.png")))
                .isInstanceOf(OutputPathException.class);
        assertThatThrownBy(() -> OutputPaths.checkInside(user, Path.of("/data/outputs/localx/x.png")))
                .isInstanceOf(OutputPathException.class);
    }

    @Test
    void hiddenNamesAreRecognisedAnywhereInThePath() {
        assertThat(OutputPaths.isHidden(Path.of("raw/.x.png.tmp-1"))).isTrue();
        assertThat(OutputPaths.isHidden(Path.of(".cache/x.png"))).isTrue();
        assertThat(OutputPaths.isHidden(Path.of("raw/x.png"))).isFalse();
    }
}
