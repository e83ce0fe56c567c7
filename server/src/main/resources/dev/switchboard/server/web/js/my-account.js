// "My account": changing one's own password (edit_user_settings) and one's API keys (ApiKeys, manage_api_keys).
import { failureText } from './api.js';
import { ApiKeys } from './api-keys.js';
import { setText } from './dom.js';

export class MyAccount {
  /**
   * @param {import('./api.js').SwarmApi} api
   * @param {import('./account.js').Account} account
   */
  constructor(api, account) {
    this.api = api;
    this.account = account;
    this.keys = new ApiKeys(api);
    this.form = document.getElementById('password-form');
    this.old = document.getElementById('password-old');
    this.fresh = document.getElementById('password-new');
    this.repeat = document.getElementById('password-repeat');
    this.error = document.getElementById('password-error');
    this.status = document.getElementById('password-status');
    this.submitButton = document.getElementById('password-submit');
    this.form.addEventListener('submit', event => {
      event.preventDefault();
      this.#changePassword();
    });
  }

  /** Shows the view's data again (the API keys). */
  async load() {
    if (this.account.can('manage_api_keys')) {
      await this.keys.load();
    }
  }

  async #changePassword() {
    setText(this.error, '');
    setText(this.status, '');
    const oldPassword = this.old.value;
    const newPassword = this.fresh.value;
    if (oldPassword === '' || newPassword === '') {
      this.error.textContent = oldPassword === '' ? 'Enter your current password.' : 'Enter the new password.';
      (oldPassword === '' ? this.old : this.fresh).focus();
      return;
    }
    if (newPassword !== this.repeat.value) {
      this.error.textContent = 'The two new passwords differ; type the same one twice.';
      this.repeat.value = '';
      this.repeat.focus();
      return;
    }
    this.submitButton.disabled = true;
    try {
      await this.api.call('ChangePassword', { oldPassword, newPassword });
    } catch (error) {
      this.error.textContent = failureText(error, 'The server could not be reached; your password was not changed.');
      return;
    } finally {
      // The typed passwords never stay in the page, whatever the answer.
      this.old.value = '';
      this.fresh.value = '';
      this.repeat.value = '';
      this.submitButton.disabled = false;
    }
    this.status.textContent = 'Your password was changed.';
  }
}
