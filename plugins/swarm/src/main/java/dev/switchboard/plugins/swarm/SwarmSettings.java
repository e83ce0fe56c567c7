package dev.switchboard.plugins.swarm;

import static java.util.Objects.requireNonNull;

import dev.switchboard.api.settings.Secret;
import dev.switchboard.api.settings.SettingDefinition;
import dev.switchboard.api.settings.SettingType;
import dev.switchboard.api.settings.Settings;
import dev.switchboard.api.settings.SettingsSchema;
import java.time.Duration;

/**
 * The settings of a {@code swarmswarmbackend} backend: the schema (names and defaults as in SwarmUI, so saved
 * configurations and remote masters carry over) and a typed view of one backend's values.
 */
public final class SwarmSettings {

    /** The other server's base URL. */
    public static final String ADDRESS = "Address";
    /** Whether an unreachable remote makes the backends idle instead of errored. */
    public static final String ALLOW_IDLE = "AllowIdle";
    /** Whether the remote's own Swarm-type backends are mirrored too. */
    public static final String ALLOW_FORWARDING = "AllowForwarding";
    /** Whether generation uses the remote's websocket route. */
    public static final String ALLOW_WEBSOCKET = "AllowWebsocket";
    /** The {@code Authorization} header sent on every call; a secret. */
    public static final String AUTHORIZATION_HEADER = "AuthorizationHeader";
    /** Extra headers, one {@code Name: value} per line. */
    public static final String OTHER_HEADERS = "OtherHeaders";
    /** The deadline of every remote call. */
    public static final String CONNECTION_ATTEMPT_TIMEOUT_SECONDS = "ConnectionAttemptTimeoutSeconds";

    /** The schema, in SwarmUI's order. */
    public static final SettingsSchema SCHEMA = SettingsSchema.of(
            SettingDefinition.builder(ADDRESS, SettingType.TEXT)
                    .defaultValue("")
                    .placeholder("http://192.168.1.2:7801")
                    .description("The address of the other Swarm-compatible server (SwarmUI or Switchboard), "
                            + "usually http://<host>:7801. Leave it empty to keep this backend switched off.")
                    .build(),
            SettingDefinition.builder(ALLOW_IDLE, SettingType.BOOLEAN)
                    .defaultValue(false)
                    .description("When the other server cannot be reached, show its backends as 'idle' and keep "
                            + "checking, instead of showing them as errored.")
                    .build(),
            SettingDefinition.builder(ALLOW_FORWARDING, SettingType.BOOLEAN)
                    .defaultValue(true)
                    .description("Also use the backends the other server itself borrows from further Swarm "
                            + "servers. Turn off to use only its own engines.")
                    .build(),
            SettingDefinition.builder(ALLOW_WEBSOCKET, SettingType.BOOLEAN)
                    .defaultValue(true)
                    .description("Use the other server's websocket route for generations, which reports progress "
                            + "and previews. Turn off if a proxy in between does not pass websockets.")
                    .build(),
            SettingDefinition.builder(AUTHORIZATION_HEADER, SettingType.TEXT)
                    .defaultValue("")
                    .secret()
                    .placeholder("Bearer abc123")
                    .description("The Authorization header sent with every call to the other server, written as "
                            + "'<scheme> <value>', for example 'Bearer abc123'. Leave empty when none is needed.")
                    .build(),
            SettingDefinition.builder(OTHER_HEADERS, SettingType.TEXT)
                    .defaultValue("")
                    .description("More headers sent with every call, one per line, each written as "
                            + "'Name: value'. Their values are kept secret: shown masked, never logged.")
                    .headerList()
                    .build(),
            SettingDefinition.builder(CONNECTION_ATTEMPT_TIMEOUT_SECONDS, SettingType.INTEGER)
                    .defaultValue(30)
                    .range(1, 3600)
                    .description("How many seconds one call to the other server may take, answer included, "
                            + "before it counts as unreachable.")
                    .build());

    private final String address;
    private final boolean allowIdle;
    private final boolean allowForwarding;
    private final boolean allowWebsocket;
    private final Secret authorization;
    private final String otherHeaders;
    private final Duration callTimeout;

    /**
     * Reads a backend's settings.
     *
     * @param settings values of {@link #SCHEMA}
     */
    public SwarmSettings(Settings settings) {
        requireNonNull(settings, "settings is null");
        this.address = SwarmAddress.normalize(settings.getString(ADDRESS));
        this.allowIdle = settings.getBoolean(ALLOW_IDLE);
        this.allowForwarding = settings.getBoolean(ALLOW_FORWARDING);
        this.allowWebsocket = settings.getBoolean(ALLOW_WEBSOCKET);
        this.authorization = settings.getSecret(AUTHORIZATION_HEADER);
        this.otherHeaders = settings.getString(OTHER_HEADERS);
        this.callTimeout = Duration.ofSeconds(Math.max(1, settings.getInt(CONNECTION_ATTEMPT_TIMEOUT_SECONDS)));
    }

    /** @return the address without surrounding spaces and trailing slashes; empty when not configured */
    public String address() {
        return address;
    }

    /** @return whether an unreachable remote makes the backends idle */
    public boolean allowIdle() {
        return allowIdle;
    }

    /** @return whether the remote's own Swarm-type backends are mirrored */
    public boolean allowForwarding() {
        return allowForwarding;
    }

    /** @return whether generations go over the remote's WebSocket route (else its HTTP route) */
    public boolean allowWebsocket() {
        return allowWebsocket;
    }

    /** @return the Authorization header value; empty when none */
    Secret authorization() {
        return authorization;
    }

    /** @return the raw {@code OtherHeaders} text */
    String otherHeaders() {
        return otherHeaders;
    }

    /** @return the total deadline of one remote call */
    public Duration callTimeout() {
        return callTimeout;
    }
}
