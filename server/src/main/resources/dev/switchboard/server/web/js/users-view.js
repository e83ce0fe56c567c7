// The Users view (manage_users): every user with their roles, adding one, setting a password, deleting; and the
// roles, read-only unless the session may configure them (RolesList).
import { failureText } from './api.js';
import { confirmAction } from './dialogs.js';
import { el, formatTime, setText } from './dom.js';
import { RolesList } from './roles-list.js';
import { askNewPassword } from './secret-dialogs.js';

// Offered when the roles cannot be listed (AdminListRoles needs configure_roles): the built-in roles a manager of
// users may hand out; the server decides whether the chosen one is allowed.
const BUILT_IN_ROLES = ['user', 'guest', 'poweruser', 'admin'];
const DEFAULT_ROLE = 'user';

export class UsersView {
  /**
   * @param {import('./api.js').SwarmApi} api
   * @param {import('./account.js').Account} account
   */
  constructor(api, account) {
    this.api = api;
    this.account = account;
    this.rows = document.querySelector('#users-table tbody');
    this.status = document.getElementById('users-status');
    this.form = document.getElementById('add-user-form');
    this.name = document.getElementById('add-user-name');
    this.password = document.getElementById('add-user-password');
    this.role = document.getElementById('add-user-role');
    this.addError = document.getElementById('add-user-error');
    this.addButton = document.getElementById('add-user-submit');
    this.roles = new RolesList(api, account);
    this.form.addEventListener('submit', event => {
      event.preventDefault();
      this.#add();
    });
    document.getElementById('users-reload').addEventListener('click', () => this.load());
  }

  /** Reads the users and roles again. */
  async load() {
    await Promise.all([this.#loadUsers(), this.#loadRoles()]);
  }

  say(text, isError = false) {
    setText(this.status, text);
    this.status.classList.toggle('error', isError);
  }

  async #loadUsers() {
    let infos;
    try {
      const answer = await this.api.call('AdminListUsers');
      const names = (answer.users || []).slice().sort();
      infos = await Promise.all(names.map(name => this.api.call('AdminGetUserInfo', { name })
        .catch(error => ({ user_name: name, failed: failureText(error, 'could not be read') }))));
    } catch (error) {
      this.say(failureText(error, 'The server could not be reached.'), true);
      return;
    }
    if (this.status.classList.contains('error')) {
      this.say('');
    }
    this.rows.replaceChildren(...infos.map(info => this.#row(info)));
  }

  #row(info) {
    const name = info.user_name;
    const you = name === this.account.user;
    const setPassword = el('button', { type: 'button', 'data-action': 'set-password', 'aria-label': `Set the password of ${name}`,
      text: 'Set password' });
    const remove = el('button', { type: 'button', class: 'danger', 'data-action': 'delete', 'aria-label': `Delete user ${name}`,
      text: 'Delete' });
    setPassword.addEventListener('click', () => this.#setPassword(name, setPassword));
    remove.addEventListener('click', () => this.#delete(name, remove));
    const roles = info.failed ? info.failed : (info.roles || []).join(', ');
    return el('tr', { 'data-user': name },
      el('th', { scope: 'row' }, name, you ? el('span', { class: 'muted', text: ' (you)' }) : ''),
      el('td', { 'data-role': 'roles', text: roles }),
      el('td', { text: formatTime(info.created) }),
      el('td', { class: 'row-actions' }, setPassword, remove));
  }

  async #loadRoles() {
    const chosen = this.role.value || DEFAULT_ROLE;
    let names;
    try {
      names = await this.roles.load();
    } catch (error) {
      names = BUILT_IN_ROLES;
    }
    this.role.replaceChildren(...names.map(name => el('option', { value: name, text: name })));
    this.role.value = names.includes(chosen) ? chosen : (names.includes(DEFAULT_ROLE) ? DEFAULT_ROLE : names[0]);
  }

  async #add() {
    this.addError.textContent = '';
    const name = this.name.value.trim();
    const password = this.password.value;
    if (name === '') {
      this.addError.textContent = 'Enter the new user’s name.';
      this.name.focus();
      return;
    }
    this.addButton.disabled = true;
    try {
      await this.api.call('AdminAddUser', { name, password, role: this.role.value });
    } catch (error) {
      // The server's words, e.g. a password that is too short; the typed password is not kept.
      this.addError.textContent = failureText(error);
      this.password.value = '';
      this.password.focus();
      return;
    } finally {
      this.addButton.disabled = false;
    }
    this.name.value = '';
    this.password.value = '';
    this.say(`Added ${name} as ${this.role.value}.`);
    await this.#loadUsers();
    this.name.focus();
  }

  async #setPassword(name, button) {
    const set = await askNewPassword(`Set the password of ${name}`,
      password => this.api.call('AdminSetUserPassword', { name, password }));
    if (set) {
      this.say(`The password of ${name} was set.`);
    }
    button.focus();
  }

  async #delete(name, button) {
    const confirmed = await confirmAction(`Delete the user “${name}”? Their sessions end and they can no longer log in.`,
      'Delete');
    if (!confirmed) {
      button.focus();
      return;
    }
    try {
      await this.api.call('AdminDeleteUser', { name });
    } catch (error) {
      this.say(failureText(error), true);
      button.focus();
      return;
    }
    this.say(`Deleted ${name}.`);
    await this.#loadUsers();
    this.name.focus();
  }
}
