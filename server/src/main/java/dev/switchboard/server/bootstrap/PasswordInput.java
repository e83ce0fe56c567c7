package dev.switchboard.server.bootstrap;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where {@code switchboard user} gets a new password: typed twice on the console without echo, or one line on
 * standard input with {@code --password-stdin} (scripts, tests). Never from the command line, where {@code ps}
 * would show it. The password is never printed or logged; messages only say what is wrong with it.
 */
final class PasswordInput {
    /** SwarmUI's ChangePassword minimum. */
    static final int MIN_LENGTH = 8;
    private static final int MAX_STDIN_BYTES = 4096;

    private final InputStream stdin;
    private final Supplier<Optional<Console>> console;

    /**
     * @param stdin read with {@code --password-stdin}
     * @param console the terminal, when there is one
     */
    PasswordInput(InputStream stdin, Supplier<Optional<Console>> console) {
        this.stdin = stdin;
        this.console = console;
    }

    /**
     * @param fromStdin whether {@code --password-stdin} was given
     * @param user whose password it is, for the prompt
     * @return the new password, at least {@link #MIN_LENGTH} characters
     * @throws CommandRefusedException when none could be read, the two typed differ, or it is too short
     */
    String read(boolean fromStdin, String user) throws CommandRefusedException {
        String password = fromStdin ? fromStdin() : fromConsole(user);
        if (password.codePointCount(0, password.length()) < MIN_LENGTH) {
            throw new CommandRefusedException("the password must be at least " + MIN_LENGTH + " characters long");
        }
        return password;
    }

    private String fromStdin() throws CommandRefusedException {
        byte[] bytes;
        try {
            bytes = stdin.readNBytes(MAX_STDIN_BYTES + 1);
        } catch (IOException e) {
            throw new CommandRefusedException("could not read the password from standard input: " + e.getMessage());
        }
        if (bytes.length > MAX_STDIN_BYTES) {
            throw new CommandRefusedException("the password on standard input is longer than " + MAX_STDIN_BYTES
                    + " bytes");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new CommandRefusedException("the password on standard input is not valid UTF-8");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
        // One line, as `echo secret | ...` or a here-string sends it: its line end is not part of it.
        if (text.endsWith("\r\n")) {
            text = text.substring(0, text.length() - 2);
        } else if (text.endsWith("\n")) {
            text = text.substring(0, text.length() - 1);
        }
        if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            throw new CommandRefusedException("the password on standard input must be a single line");
        }
        if (text.isEmpty()) {
            throw new CommandRefusedException("no password on standard input");
        }
        return text;
    }

    private String fromConsole(String user) throws CommandRefusedException {
        Console terminal = console.get().orElseThrow(() -> new CommandRefusedException("there is no console to type the"
                + " password on: give it on standard input with --password-stdin"));
        char[] first = terminal.readPassword("New password for %s: ", user);
        char[] second = first == null ? null : terminal.readPassword("The same password again: ");
        try {
            if (first == null || second == null) {
                throw new CommandRefusedException("no password was typed");
            }
            if (!Arrays.equals(first, second)) {
                throw new CommandRefusedException("the two passwords typed differ");
            }
            return new String(first);
        } finally {
            if (first != null) {
                Arrays.fill(first, '\0');
            }
            if (second != null) {
                Arrays.fill(second, '\0');
            }
        }
    }
}
