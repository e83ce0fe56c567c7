package dev.switchboard.server.plugins;

import org.pf4j.PluginRuntimeException;

/**
 * A plugin misbehaved; the message is one readable sentence saying how, ready for logs and {@link PluginInfo}.
 * A {@link PluginRuntimeException} so PF4J records it as the plugin's failure when thrown from a plugin's start.
 */
final class PluginProblemException extends PluginRuntimeException {

    PluginProblemException(String sentence) {
        super(sentence);
    }

    PluginProblemException(String sentence, Throwable cause) {
        super(sentence);
        initCause(cause);
    }
}
