// Who the page acts as, from GetNewSession's answer: the single user of a server without accounts (`local`, holding
// "*": the page is exactly as it was before accounts), an anonymous visitor of a server with accounts (user_id "",
// no permissions: only the login form), or a logged-in user. Controls a session may not use are hidden: each names
// its permission in data-needs, and the root element gets a lacks-<id> class per missing one (app.css hides the
// matches), which also covers elements built later, such as backend cards.
import { NetworkError } from './api.js';

/** Every permission a control of the page is gated on; app.css has one rule for each. */
export const GATED = [
  'fundamental_generate_tab_access', 'basic_image_generation', 'param_backend_id', 'view_image_history',
  'view_backends_list', 'add_remove_backends', 'edit_backends', 'toggle_backends', 'restart_backends',
  'control_mem_clean', 'view_logs', 'manage_users', 'configure_roles', 'view_audit_log', 'manage_api_keys',
  'edit_user_settings',
];

/** The user name of a server without accounts. */
const SINGLE_USER = 'local';

// What each view needs; the account views exist only with accounts.
const VIEW_NEEDS = {
  generate: 'fundamental_generate_tab_access',
  gallery: 'view_image_history',
  backends: 'view_backends_list',
  users: 'manage_users',
  audit: 'view_audit_log',
  account: null,
};
const ACCOUNT_VIEWS = new Set(['users', 'audit', 'account']);

export class Account {
  /** @param {import('./api.js').SwarmApi} api */
  constructor(api) {
    this.api = api;
    this.user = null;
    this.permissions = new Set();
    this.userBox = document.getElementById('user-box');
    this.logoutButton = document.getElementById('logout');
    this.logoutButton.addEventListener('click', () => this.logout());
  }

  /** Whether a session has been seen yet. */
  get known() {
    return this.user !== null;
  }

  /** A server with accounts, not logged in: only the login form is of use. */
  get anonymous() {
    return this.user === '';
  }

  /** Logged in to a server with accounts. */
  get loggedIn() {
    return this.known && this.user !== '' && this.user !== SINGLE_USER;
  }

  /** Whether the session holds a permission ("*" holds all). */
  can(permission) {
    return this.permissions.has('*') || this.permissions.has(permission);
  }

  /** Whether a view may be shown; before the session is known, the views of a server without accounts may. */
  canView(name) {
    if (!(name in VIEW_NEEDS)) {
      return false;
    }
    if (!this.known) {
      return !ACCOUNT_VIEWS.has(name);
    }
    if (ACCOUNT_VIEWS.has(name) && !this.loggedIn) {
      return false;
    }
    const needs = VIEW_NEEDS[name];
    return needs === null || this.can(needs);
  }

  /** Takes a GetNewSession answer and shows or hides what depends on it. */
  apply(session) {
    this.user = typeof session.user_id === 'string' ? session.user_id : SINGLE_USER;
    this.permissions = new Set(Array.isArray(session.permissions) ? session.permissions : []);
    const root = document.documentElement;
    for (const permission of GATED) {
      root.classList.toggle(`lacks-${permission}`, !this.can(permission));
    }
    for (const element of document.querySelectorAll('.accounts-only')) {
      element.hidden = !this.loggedIn;
    }
    this.userBox.hidden = !this.loggedIn;
    document.getElementById('user-name').textContent = this.loggedIn ? this.user : '';
    const ownName = document.getElementById('password-form-user');
    ownName.value = this.loggedIn ? this.user : '';
  }

  /** Ends the login (the server clears its cookie) and starts the page again, at its login form. */
  async logout() {
    const shown = document.getElementById('logout-error');
    shown.textContent = '';
    this.logoutButton.disabled = true;
    try {
      await this.api.call('Logout');
    } catch (error) {
      shown.textContent = error instanceof NetworkError ? 'The server could not be reached; you are still logged in.'
        : `Logging out failed: ${error.message}`;
      this.logoutButton.disabled = false;
      return;
    }
    location.reload();
  }
}
