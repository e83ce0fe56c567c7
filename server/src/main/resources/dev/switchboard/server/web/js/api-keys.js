// The session user's API keys: created with a label and an optional expiry (the key is shown once, in a dialog),
// listed, and revoked.
import { failureText } from './api.js';
import { confirmAction } from './dialogs.js';
import { el, formatTime, setText } from './dom.js';
import { showNewKey } from './secret-dialogs.js';

const MAX_DAYS = 36500;

export class ApiKeys {
  /** @param {import('./api.js').SwarmApi} api */
  constructor(api) {
    this.api = api;
    this.form = document.getElementById('key-form');
    this.label = document.getElementById('key-label');
    this.days = document.getElementById('key-days');
    this.daysError = document.getElementById('key-days-error');
    this.error = document.getElementById('key-error');
    this.submitButton = document.getElementById('key-submit');
    this.status = document.getElementById('keys-status');
    this.rows = document.querySelector('#keys-table tbody');
    this.form.addEventListener('submit', event => {
      event.preventDefault();
      this.#create();
    });
  }

  /** Reads the keys again. */
  async load() {
    let keys;
    try {
      keys = (await this.api.call('ListAPIKeys')).keys || [];
    } catch (error) {
      this.#say(failureText(error, 'The server could not be reached.'), true);
      return;
    }
    if (this.status.classList.contains('error')) {
      this.#say('');
    }
    this.rows.replaceChildren(...keys.map(key => this.#row(key)));
    if (keys.length === 0) {
      this.rows.append(el('tr', {}, el('td', { colspan: 5, class: 'muted', text: 'No API keys yet.' })));
    }
  }

  #say(text, isError = false) {
    setText(this.status, text);
    this.status.classList.toggle('error', isError);
  }

  #row(key) {
    const label = key.label || '(no label)';
    const revoke = el('button', { type: 'button', class: 'danger', 'data-action': 'revoke', 'aria-label': `Revoke the key ${label}`,
      text: 'Revoke' });
    revoke.addEventListener('click', () => this.#revoke(key, label, revoke));
    return el('tr', { 'data-key-id': key.id },
      el('th', { scope: 'row', text: label }),
      el('td', { class: 'key-id', text: key.id }),
      el('td', { text: formatTime(key.created) }),
      el('td', { text: key.expires ? formatTime(key.expires) : 'never' }),
      el('td', { class: 'row-actions' }, revoke));
  }

  /** The expiry field: empty for none, else whole days; null (and marked) when it is not a number of days. */
  #readDays() {
    const text = this.days.value.trim();
    const valid = text === '' || (/^\d+$/.test(text) && Number(text) >= 1 && Number(text) <= MAX_DAYS);
    this.days.setAttribute('aria-invalid', String(!valid));
    this.daysError.textContent = valid ? '' : `Expiry must be a whole number of days from 1 to ${MAX_DAYS}, or empty.`;
    return valid ? { days: text === '' ? undefined : Number(text) } : null;
  }

  async #create() {
    this.error.textContent = '';
    const expiry = this.#readDays();
    if (expiry === null) {
      this.days.focus();
      return;
    }
    const request = { label: this.label.value.trim() };
    if (expiry.days !== undefined) {
      request.expires_days = expiry.days;
    }
    this.submitButton.disabled = true;
    let created;
    try {
      created = await this.api.call('CreateAPIKey', request);
    } catch (error) {
      this.error.textContent = failureText(error);
      return;
    } finally {
      this.submitButton.disabled = false;
    }
    this.label.value = '';
    this.days.value = '';
    await showNewKey(created.key);
    this.#say(`Created the key ${created.label || created.id}.`);
    await this.load();
    this.label.focus();
  }

  async #revoke(key, label, button) {
    const confirmed = await confirmAction(`Revoke the API key “${label}”? Whatever uses it is refused from now on.`, 'Revoke');
    if (!confirmed) {
      button.focus();
      return;
    }
    try {
      await this.api.call('RevokeAPIKey', { id: key.id });
    } catch (error) {
      this.#say(failureText(error), true);
      button.focus();
      return;
    }
    this.#say(`Revoked ${label}.`);
    await this.load();
    this.label.focus();
  }
}
