package dev.switchboard.server.logging;

/** How the server writes its log lines ({@code --log-format}). */
public enum LogFormat {
    /** One line of text per event: time, level, thread, logger, message, then the stack trace if any. */
    TEXT,
    /**
     * One JSON object per line: {@code time}, {@code level}, {@code logger}, {@code thread}, {@code backend_id}
     * when the event comes from a backend's logger, {@code message}, and {@code stack_trace} when there is one.
     */
    JSON
}
