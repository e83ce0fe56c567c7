package dev.switchboard.server.plugins;

/** A call into plugin code that threw, overran its deadline or was cancelled. The message is meant for operators. */
public final class PluginCallException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean timedOut;

    public PluginCallException(String message, Throwable cause, boolean timedOut) {
        super(message, cause);
        this.timedOut = timedOut;
    }

    /** @return true when the call overran its deadline */
    public boolean timedOut() {
        return timedOut;
    }

}
