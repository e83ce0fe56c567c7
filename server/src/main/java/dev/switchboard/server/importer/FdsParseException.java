package dev.switchboard.server.importer;

/**
 * A file that is not valid FDS, or not a SwarmUI backends file. The message names the line (1-based) and never
 * quotes a value, which may be a secret.
 */
public final class FdsParseException extends Exception {
    private final int line;

    FdsParseException(int line, String reason) {
        super("line " + line + ": " + reason);
        this.line = line;
    }

    /** @return the 1-based line the problem is on */
    public int line() {
        return line;
    }
}
