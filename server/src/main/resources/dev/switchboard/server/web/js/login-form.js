// The login form, the only thing a server with accounts shows before login. Login sets the HttpOnly cookie
// swarm_token; the page then starts again, and GetNewSession, sent with the cookie, answers the user's session.
import { ApiError, NetworkError } from './api.js';

export class LoginForm {
  /**
   * @param {import('./api.js').SwarmApi} api
   * @param {function(): void} onLoggedIn called after a successful login
   */
  constructor(api, onLoggedIn) {
    this.api = api;
    this.onLoggedIn = onLoggedIn;
    this.section = document.getElementById('login-view');
    this.form = document.getElementById('login-form');
    this.name = document.getElementById('login-name');
    this.password = document.getElementById('login-password');
    this.error = document.getElementById('login-error');
    this.submitButton = document.getElementById('login-submit');
    this.form.addEventListener('submit', event => {
      event.preventDefault();
      this.#submit();
    });
  }

  /** Shows the form alone: the views, the queue counters and the navigation are of no use before login. */
  show() {
    document.getElementById('queue').hidden = true;
    document.querySelector('nav.views').hidden = true;
    document.title = 'Log in · Switchboard';
    this.section.hidden = false;
    this.name.focus();
  }

  async #submit() {
    this.error.textContent = '';
    const username = this.name.value.trim();
    // Read once and cleared from the field whatever happens, so it does not stay in the page.
    const password = this.password.value;
    if (username === '' || password === '') {
      this.error.textContent = username === '' ? 'Enter your name.' : 'Enter your password.';
      (username === '' ? this.name : this.password).focus();
      return;
    }
    this.submitButton.disabled = true;
    try {
      await this.api.call('Login', { username, password });
    } catch (error) {
      this.password.value = '';
      this.submitButton.disabled = false;
      this.error.textContent = this.#describe(error);
      this.password.focus();
      return;
    }
    this.password.value = '';
    this.onLoggedIn();
  }

  #describe(error) {
    if (error instanceof NetworkError) {
      return 'The server could not be reached. Try again in a moment.';
    }
    if (error instanceof ApiError && error.errorId === 'ratelimit') {
      return `${error.message} Logins are paused after repeated failures.`;
    }
    // invalid_login and any other refusal: the server's own words (e.g. "Login failed: wrong name or password.").
    return error.message;
  }
}
