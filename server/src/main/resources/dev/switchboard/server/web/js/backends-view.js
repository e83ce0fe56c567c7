// The Backends view: the card list, the add chooser and the toolbar (restart all, free memory).
import { ApiError, NetworkError } from './api.js';
import { BackendList } from './backend-list.js';
import { confirmAction } from './dialogs.js';
import { el } from './dom.js';
import { LogsViewer } from './logs-viewer.js';

export class BackendsView {
  /**
   * @param {import('./api.js').SwarmApi} api
   * @param {function(): void} refreshSoon asks the page to poll the server now
   */
  constructor(api, refreshSoon) {
    this.api = api;
    this.refreshSoon = refreshSoon;
    this.types = new Map();
    this.logsAvailable = false;
    this.toolbarStatus = document.getElementById('toolbar-status');
    this.addButton = document.getElementById('add-backend');
    this.addPanel = document.getElementById('add-panel');
    this.addError = document.getElementById('add-error');
    this.typeList = document.getElementById('type-list');
    this.showAdvanced = document.getElementById('show-advanced');
    this.logs = new LogsViewer(api);
    this.list = new BackendList(document.getElementById('backend-list'), {
      typeOf: id => this.types.get(id),
      logsAvailable: () => this.logsAvailable,
      actions: this.#cardActions(),
    });
    this.#wireToolbar();
  }

  /** Reads the backend types (again, e.g. after the server restarted with other plugins). */
  async loadTypes() {
    const answer = await this.api.call('ListBackendTypes');
    this.types = new Map(answer.list.map(type => [type.id, type]));
    this.#renderTypeChooser(answer.list);
  }

  /** Finds out once whether the server has GetBackendLogs (older servers do not). */
  async probeLogs() {
    try {
      await this.api.call('GetBackendLogs', { backend_id: -2147483648, limit: 1 });
      this.logsAvailable = true;
    } catch (error) {
      if (error instanceof NetworkError) {
        throw error;
      }
      // Only an unknown route means "no logs here"; an unknown backend id means the route exists.
      this.logsAvailable = !(error instanceof ApiError && error.errorId === 'bad_route');
    }
  }

  /** Shows a ListBackends answer (with full_data). */
  apply(views) {
    this.list.apply(views);
    this.#updateEmptyNote();
  }

  typeName(typeId) {
    return this.types.get(typeId)?.name;
  }

  say(message, isError = false) {
    this.toolbarStatus.textContent = message;
    this.toolbarStatus.classList.toggle('error', isError);
  }

  #cardActions() {
    const api = this.api;
    return {
      toggle: async (card, enabled) => {
        const answer = await this.#act(() => api.call('ToggleBackend', { backend_id: card.id, enabled }));
        if (!answer) {
          card.parts.toggle.checked = !enabled;
        }
        this.refreshSoon();
      },
      restart: async card => {
        const answer = await this.#act(() => api.call('RestartBackends', { backend: String(card.id) }));
        if (answer) {
          this.say(answer.count === 1 ? `Restarting ${card.displayTitle()}.`
            : `${card.displayTitle()} was not restarted (only running or errored backends restart).`);
        }
        this.refreshSoon();
      },
      logs: card => this.logs.open(card.id, card.displayTitle(), card.parts.logsButton),
      remove: async card => {
        const name = card.displayTitle();
        const confirmed = await confirmAction(`Delete backend #${card.id} “${name}”? Its settings are removed and it is shut down.`, 'Delete');
        if (!confirmed) {
          card.parts.deleteButton.focus();
          return;
        }
        const answer = await this.#act(() => api.call('DeleteBackend', { backend_id: card.id }));
        if (answer) {
          this.list.remove(card.id);
          this.#updateEmptyNote();
          this.say(`Deleted ${name}.`);
          this.addButton.focus();
        }
      },
      save: async (card, body) => {
        // Errors propagate to the form, which shows the server's message next to it.
        const updated = await api.call('EditBackend', body);
        if (updated.id !== card.id) {
          const oldId = card.id;
          card.update(updated);
          this.list.rekey(oldId, card);
        }
        this.refreshSoon();
        return updated;
      },
    };
  }

  /** Runs an action; shows its error in the toolbar and resolves to undefined when it fails. */
  async #act(action) {
    try {
      return await action();
    } catch (error) {
      this.say(error instanceof NetworkError ? 'The server could not be reached; nothing was changed.' : error.message, true);
      return undefined;
    }
  }

  #updateEmptyNote() {
    document.getElementById('loading-note').hidden = true;
    document.getElementById('empty-note').hidden = this.list.size > 0;
  }

  #renderTypeChooser(typeArray) {
    this.typeList.replaceChildren(...typeArray.map(type => {
      const button = el('button', { type: 'button', class: 'type-choice', 'data-type-id': type.id },
        el('span', { class: 'type-name', text: type.name }),
        type.is_standard ? '' : el('span', { class: 'badge', text: 'advanced' }),
        el('span', { class: 'type-description', text: type.description }));
      button.addEventListener('click', () => this.#addBackend(type));
      return el('li', { class: type.is_standard ? 'standard' : 'advanced', hidden: !type.is_standard && !this.showAdvanced.checked }, button);
    }));
  }

  async #addBackend(type) {
    this.addError.textContent = '';
    try {
      const view = await this.api.call('AddNewBackend', { type_id: type.id });
      this.#setAddPanel(false);
      const card = this.list.show(view);
      this.#updateEmptyNote();
      card.openEditor();
      card.element.scrollIntoView({ block: 'nearest' });
    } catch (error) {
      this.addError.textContent = error.message;
    }
  }

  #setAddPanel(open) {
    this.addPanel.hidden = !open;
    this.addButton.setAttribute('aria-expanded', String(open));
    if (open) {
      this.addError.textContent = '';
      (this.typeList.querySelector('li:not([hidden]) button') || this.showAdvanced).focus();
    }
  }

  #wireToolbar() {
    this.addButton.addEventListener('click', () => this.#setAddPanel(this.addPanel.hidden));
    this.showAdvanced.addEventListener('change', () => {
      for (const item of this.typeList.querySelectorAll('li.advanced')) {
        item.hidden = !this.showAdvanced.checked;
      }
    });
    this.addPanel.addEventListener('keydown', event => {
      if (event.key === 'Escape') {
        this.#setAddPanel(false);
        this.addButton.focus();
      }
    });
    document.getElementById('restart-all').addEventListener('click', async () => {
      const answer = await this.#act(() => this.api.call('RestartBackends', {}));
      if (answer) {
        this.say(answer.count === 1 ? 'Restarting 1 backend.' : `Restarting ${answer.count} backends.`);
      }
      this.refreshSoon();
    });
    for (const [id, systemRam] of [['free-vram', false], ['free-ram', true]]) {
      document.getElementById(id).addEventListener('click', async () => {
        const answer = await this.#act(() => this.api.call('FreeBackendMemory', { system_ram: systemRam }));
        if (answer) {
          const what = systemRam ? 'GPU and system memory' : 'GPU memory';
          this.say(answer.result ? `Freed ${what} on ${answer.count} backend${answer.count === 1 ? '' : 's'}.` : 'No running backend to free memory on.');
        }
      });
    }
  }
}
