package dev.switchboard.server.sessions;

/**
 * Tells who a request acts as from its credentials. Without accounts every caller is {@link Identity#LOCAL};
 * with accounts a valid API key or login cookie names a user, and no credentials give {@link Identity#ANONYMOUS}.
 */
public interface CallerResolver {
    /** The resolver of a server without accounts: everyone is {@link Identity#LOCAL}. */
    CallerResolver SINGLE_USER = new CallerResolver() {
        @Override
        public Identity resolve(Credentials credentials) {
            return Identity.LOCAL;
        }

        @Override
        public boolean accountsEnabled() {
            return false;
        }
    };

    /**
     * Resolves the caller.
     *
     * @return the identity the credentials prove; {@link Identity#ANONYMOUS} when they prove none (no
     *     credentials, or a login cookie that has ended: the page then asks to log in)
     * @throws InvalidCredentialsException when an API key is given that is unknown, expired or revoked
     */
    Identity resolve(Credentials credentials) throws InvalidCredentialsException;

    /** @return whether the server has accounts (at least one user) */
    boolean accountsEnabled();
}
