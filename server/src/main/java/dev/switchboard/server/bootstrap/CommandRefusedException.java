package dev.switchboard.server.bootstrap;

/** A subcommand refused what it was asked; the message is one line for the operator, never holding a secret. */
final class CommandRefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    CommandRefusedException(String message) {
        super(message);
    }
}
