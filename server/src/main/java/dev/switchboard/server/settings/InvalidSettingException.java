package dev.switchboard.server.settings;

/** A setting value that cannot be accepted; the message names the setting and says what is expected. */
public final class InvalidSettingException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidSettingException(String message) {
        super(message);
    }
}
