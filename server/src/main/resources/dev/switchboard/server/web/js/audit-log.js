// The audit log (view_audit_log): who changed which backend or account, when and from where, newest first.
import { failureText } from './api.js';
import { el, formatTime, setText } from './dom.js';

const LIMIT = 200;

export class AuditLog {
  /** @param {import('./api.js').SwarmApi} api */
  constructor(api) {
    this.api = api;
    this.rows = document.querySelector('#audit-table tbody');
    this.status = document.getElementById('audit-status');
    document.getElementById('audit-reload').addEventListener('click', () => this.load());
  }

  /** Reads the newest entries again. */
  async load() {
    let entries;
    try {
      entries = (await this.api.call('GetAuditLog', { limit: LIMIT })).entries || [];
    } catch (error) {
      setText(this.status, failureText(error, 'The server could not be reached.'));
      this.status.classList.add('error');
      return;
    }
    this.status.classList.remove('error');
    // Newest first, whatever order the server keeps them in.
    entries = entries.slice().sort((a, b) => (new Date(b.time).getTime() || 0) - (new Date(a.time).getTime() || 0));
    setText(this.status, entries.length === 0 ? 'Nothing has been recorded yet.'
      : `The newest ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}${entries.length === LIMIT ? ' (older ones are not shown)' : ''}.`);
    this.rows.replaceChildren(...entries.map(entry => el('tr', { 'data-outcome': entry.outcome ?? '' },
      el('td', { text: formatTime(entry.time) }),
      el('td', { text: entry.user ?? '' }),
      el('td', { text: entry.address ?? '' }),
      el('td', { text: entry.route ?? '' }),
      el('td', { class: 'audit-target', text: entry.target ?? '' }),
      el('td', { text: entry.outcome ?? '' }))));
  }
}
