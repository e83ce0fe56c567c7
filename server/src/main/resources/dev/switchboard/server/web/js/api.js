// The page's only way to the server: SwarmUI's public API, called exactly as SwarmUI's own page calls it
// (POST /API/<Route>, JSON body with session_id, a new session and a retry on invalid_session_id).

/** A route answered with {"error": ...}: the server refused the request and said why. */
export class ApiError extends Error {
  constructor(message, errorId) {
    super(message);
    this.errorId = errorId;
  }
}

/** The server could not be reached, or answered with something that is not the API's JSON. */
export class NetworkError extends Error {}

/** The text to show for a failed call: the server's own message, or that it could not be reached. */
export function failureText(error, unreachable = 'The server could not be reached; nothing was changed.') {
  return error instanceof NetworkError ? unreachable : error.message;
}

const MAX_SESSION_RETRIES = 3;

export class SwarmApi {
  #sessionId = null;
  #sessionRequest = null;

  /**
   * @param {{onConnection: function(boolean, string=): void, onSession: function(object): void}} listeners
   *   onConnection is told after every request whether the server was reachable; onSession gets each new
   *   GetNewSession answer (version, server_id, permissions).
   */
  constructor(listeners) {
    this.listeners = listeners;
  }

  /** Calls a route; resolves to its answer, rejects with ApiError or NetworkError. */
  async call(route, body = {}, attempt = 0) {
    const sessionId = await this.#session();
    const answer = await this.#post(route, { ...body, session_id: sessionId });
    if (answer.error_id === 'invalid_session_id' && attempt < MAX_SESSION_RETRIES) {
      // The server restarted or forgot us: renew once for every caller that saw this session fail.
      this.forgetSession(sessionId);
      return this.call(route, body, attempt + 1);
    }
    if (answer.error !== undefined) {
      throw new ApiError(String(answer.error), answer.error_id);
    }
    return answer;
  }

  /** The current session's id, taking a new session first when there is none. */
  async sessionId() {
    return this.#session();
  }

  /** Forgets a session the server no longer knows (e.g. after a restart), unless a newer one replaced it. */
  forgetSession(sessionId) {
    if (this.#sessionId === sessionId) {
      this.#sessionId = null;
    }
  }

  /** Tells the listeners whether the server is reachable, for connections made outside call(). */
  reportConnection(reachable, reason) {
    this.listeners.onConnection(reachable, reason);
  }

  async #session() {
    if (this.#sessionId) {
      return this.#sessionId;
    }
    if (!this.#sessionRequest) {
      this.#sessionRequest = this.#post('GetNewSession', {}).then(answer => {
        if (answer.error !== undefined) {
          throw new ApiError(String(answer.error), answer.error_id);
        }
        this.#sessionId = answer.session_id;
        this.listeners.onSession(answer);
        return answer.session_id;
      }).finally(() => {
        this.#sessionRequest = null;
      });
    }
    return this.#sessionRequest;
  }

  async #post(route, body) {
    let response;
    try {
      response = await fetch(`/API/${route}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
        cache: 'no-store',
      });
    } catch (error) {
      this.listeners.onConnection(false, 'the server does not answer');
      throw new NetworkError('The server does not answer.');
    }
    let answer;
    try {
      answer = await response.json();
    } catch (error) {
      const reason = `the server answered HTTP ${response.status} without API data`;
      this.listeners.onConnection(false, reason);
      throw new NetworkError(`The server answered HTTP ${response.status} without API data.`);
    }
    this.listeners.onConnection(true);
    return answer;
  }
}
