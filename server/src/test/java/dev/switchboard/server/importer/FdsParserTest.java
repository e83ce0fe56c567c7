package dev.switchboard.server.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The FDS grammar as SwarmUI reads it, and every kind of damage refused with its line. */
final class FdsParserTest {
    private static FdsNode.Section parse(String... lines) throws FdsParseException {
        return FdsParser.parse(String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
    }

    private static String text(FdsNode.Section section, String... path) {
        FdsNode node = section;
        for (String key : path) {
            node = ((FdsNode.Section) node).entries().get(key);
        }
        return ((FdsNode.Scalar) node).text();
    }

    @Test
    void sectionsScalarsAndCommentsWithTabsAsFourSpaces() throws Exception {
        FdsNode.Section root = parse(
                "# a comment at the top",
                "0:",
                "\ttype: comfyui_api",
                "\t# a comment between keys",
                "    title: four spaces are one tab",
                "\tsettings:",
                "\t\t#Help text of the setting,",
                "\t\t\t# even indented deeper,",
                "\t\tAddress: http://x:1/a:b",
                "        OverQueue: 1",
                "",
                "   ",
                "1:",
                "\ttype: other");

        assertThat(root.entries().keySet()).containsExactly("0", "1");
        FdsNode.Section zero = (FdsNode.Section) root.entries().get("0");
        assertThat(zero.line()).isEqualTo(2);
        assertThat(zero.entries().keySet()).containsExactly("type", "title", "settings");
        assertThat(text(root, "0", "title")).isEqualTo("four spaces are one tab");
        assertThat(text(root, "0", "settings", "Address")).isEqualTo("http://x:1/a:b");
        assertThat(zero.entries().get("settings").line()).isEqualTo(6);
        assertThat(((FdsNode.Section) zero.entries().get("settings")).entries().get("OverQueue").line()).isEqualTo(10);
        assertThat(text(root, "1", "type")).isEqualTo("other");
    }

    @Test
    void valuesAreUnescapedAsSwarmUiWritesThem() throws Exception {
        FdsNode.Section root = parse(
                "empty: \\x",
                "spaces: \\x  two around  \\x",
                "trailing:    kept inner  spaces    ",
                "lines: first\\nsecond\\r\\nthird",
                "tab: a\\tb",
                "backslash: C:\\sComfyUI\\smain.py",
                "literal: \\sn is not a newline",
                "weird\\d\\c\\ekey: v");

        assertThat(text(root, "empty")).isEmpty();
        assertThat(text(root, "spaces")).isEqualTo("  two around  ");
        assertThat(text(root, "trailing")).isEqualTo("kept inner  spaces");
        assertThat(text(root, "lines")).isEqualTo("first\nsecond\r\nthird");
        assertThat(text(root, "tab")).isEqualTo("a\tb");
        assertThat(text(root, "backslash")).isEqualTo("C:\\ComfyUI\\main.py");
        assertThat(text(root, "literal")).isEqualTo("\\n is not a newline");
        assertThat(text(root, "weird.:=key")).isEqualTo("v");
    }

    @Test
    void listsSitAtTheKeysIndentation() throws Exception {
        FdsNode.Section root = parse(
                "models:",
                "- a.safetensors",
                "# a comment in the list",
                "-   sub/b.safetensors",
                "- \\x",
                "after: 1");

        FdsNode.ListNode list = (FdsNode.ListNode) root.entries().get("models");
        assertThat(list.items()).extracting(FdsNode.Scalar::text).containsExactly("a.safetensors",
                "sub/b.safetensors", "");
        assertThat(list.items()).extracting(FdsNode.Scalar::line).containsExactly(2, 4, 5);
        assertThat(text(root, "after")).isEqualTo("1");
    }

    @Test
    void aKeyWithNothingBelowIsAnEmptySection() throws Exception {
        FdsNode.Section root = parse("0:", "\tsettings:", "\ttitle: t", "1:");
        assertThat(((FdsNode.Section) ((FdsNode.Section) root.entries().get("0")).entries().get("settings"))
                .entries()).isEmpty();
        assertThat(((FdsNode.Section) root.entries().get("1")).entries()).isEmpty();
    }

    @Test
    void windowsAndOldMacLineEndsAndAByteOrderMark() throws Exception {
        byte[] windows = "\uFEFF0:\r\n\ttype: a\r\n\ttitle: b\r\n".getBytes(StandardCharsets.UTF_8);
        assertThat(text(FdsParser.parse(windows), "0", "title")).isEqualTo("b");
        FdsNode.Section mac = FdsParser.parse("0:\r\ttype: a\r\ttitle: b".getBytes(StandardCharsets.UTF_8));
        assertThat(text(mac, "0", "title")).isEqualTo("b");
        assertThat(mac.entries().get("0").line()).isEqualTo(1);
    }

    @Test
    void anEmptyFileIsAnEmptyRoot() throws Exception {
        assertThat(parse("# only a comment", "").entries()).isEmpty();
        assertThat(FdsParser.parse(new byte[0]).entries()).isEmpty();
    }

    @Test
    void damageIsRefusedNamingItsLine() {
        record Damage(List<String> lines, int line, String reason) {
        }
        List<Damage> damages = List.of(
                new Damage(List.of("0:", "\ttype: a", "\t\ttitle: deeper for no reason"), 3, "indented by 8 spaces"),
                new Damage(List.of("  0:", "\ttype: a"), 1, "indented by 2 spaces where 0 were expected"),
                new Damage(List.of("0:", "\ttype: a", "\tjust some words"), 3, "no ':'"),
                new Damage(List.of("0:", "\t: value"), 2, "the key before ':' is empty"),
                new Damage(List.of("0:", "\t- item"), 2, "a list item where a 'key: value' line was expected"),
                new Damage(List.of("0:", "\tdata= AAAA"), 2, "binary value"),
                new Damage(List.of("0:", "\ttype: a", "\ttype: b"), 3, "'type' appears a second time"),
                new Damage(List.of("0:", "\ttype: a", "0:"), 3, "'0' appears a second time in the same section (first on line 1)"),
                new Damage(List.of("list:", "> complex: x"), 2, "a complex or binary list"),
                new Damage(List.of("list:", "- a", "   - b"), 3, "inside a list"),
                new Damage(List.of("0:", "\ttype: a", "\t\tsettings:", "1:"), 3, "indented by 8 spaces"),
                new Damage(List.of("0:", "\tsettings:", "\t\tA: 1", "\t   B: 2"), 4, "indented by 7 spaces"));
        for (Damage damage : damages) {
            assertThatThrownBy(() -> parse(damage.lines().toArray(String[]::new)))
                    .as(String.join("|", damage.lines()))
                    .isInstanceOfSatisfying(FdsParseException.class, e -> assertThat(e.line()).isEqualTo(damage.line()))
                    .hasMessageStartingWith("line " + damage.line() + ": ")
                    .hasMessageContaining(damage.reason());
        }
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedNamingTheirLine() {
        byte[] bytes = "0:\n\ttype: a\n\ttitle: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> FdsParser.parse(bytes))
                .isInstanceOfSatisfying(FdsParseException.class, e -> assertThat(e.line()).isEqualTo(3))
                .hasMessageContaining("not UTF-8 text");
    }

    @Test
    void errorsNeverQuoteTheLineWhichMayHoldASecret() {
        assertThatThrownBy(() -> parse("0:", "\tsettings:", "\t\tAuthorizationHeader Bearer sk-hidden"))
                .hasMessageNotContaining("sk-hidden");
        assertThatThrownBy(() -> parse("0:", "\tsettings:", "\t\tA: 1",
                "\t\t\tAuthorizationHeader: Bearer sk-hidden"))
                .hasMessageNotContaining("sk-hidden");
    }
}
