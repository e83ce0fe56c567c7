// The Backends page: wires the API, the card list, the add chooser and the toolbar together, and keeps the
// list live by polling ListBackends.
import { ApiError, NetworkError, SwarmApi } from './api.js';
import { BackendList } from './backend-list.js';
import { confirmAction } from './dialogs.js';
import { el } from './dom.js';
import { LogsViewer } from './logs-viewer.js';

// At most 2 s between two looks at the backends (the bound); one second keeps changes prompt.
const POLL_EVERY_MS = 1000;
const RETRY_START_EVERY_MS = 2000;

const banner = document.getElementById('network-banner');
const toolbarStatus = document.getElementById('toolbar-status');
const serverInfo = document.getElementById('server-info');
const addButton = document.getElementById('add-backend');
const addPanel = document.getElementById('add-panel');
const addError = document.getElementById('add-error');
const typeList = document.getElementById('type-list');
const showAdvanced = document.getElementById('show-advanced');

let types = new Map();
let logsAvailable = false;
let serverId = null;
let pollTimer = null;

const api = new SwarmApi({
  onConnection(reachable, reason) {
    // Dims the cards while their statuses may be out of date.
    document.body.classList.toggle('offline', !reachable);
    if (reachable) {
      banner.hidden = true;
      banner.textContent = '';
    } else {
      banner.textContent = `Cannot reach the Switchboard server (${reason}). Retrying…`;
      banner.hidden = false;
    }
  },
  onSession(session) {
    serverInfo.textContent = `Switchboard ${session.version} · user ${session.user_id}`;
    if (serverId !== null && session.server_id !== serverId) {
      // A restarted server may have other plugins, so its types are read again.
      loadTypes().catch(() => {});
    }
    serverId = session.server_id;
  },
});

const logs = new LogsViewer(api);

const list = new BackendList(document.getElementById('backend-list'), {
  typeOf: id => types.get(id),
  logsAvailable: () => logsAvailable,
  actions: {
    async toggle(card, enabled) {
      const answer = await act(() => api.call('ToggleBackend', { backend_id: card.id, enabled }));
      if (!answer) {
        card.parts.toggle.checked = !enabled;
      }
      refreshSoon();
    },
    async restart(card) {
      const answer = await act(() => api.call('RestartBackends', { backend: String(card.id) }));
      if (answer) {
        say(answer.count === 1 ? `Restarting ${card.displayTitle()}.` : `${card.displayTitle()} was not restarted (only running or errored backends restart).`);
      }
      refreshSoon();
    },
    logs(card) {
      logs.open(card.id, card.displayTitle(), card.parts.logsButton);
    },
    async remove(card) {
      const name = card.displayTitle();
      const confirmed = await confirmAction(`Delete backend #${card.id} “${name}”? Its settings are removed and it is shut down.`, 'Delete');
      if (!confirmed) {
        card.parts.deleteButton.focus();
        return;
      }
      const answer = await act(() => api.call('DeleteBackend', { backend_id: card.id }));
      if (answer) {
        list.remove(card.id);
        updateEmptyNote();
        say(`Deleted ${name}.`);
        addButton.focus();
      }
    },
    async save(card, body) {
      // Errors propagate to the form, which shows the server's message next to it.
      const updated = await api.call('EditBackend', body);
      if (updated.id !== card.id) {
        const oldId = card.id;
        card.update(updated);
        list.rekey(oldId, card);
      }
      refreshSoon();
      return updated;
    },
  },
});

/** Runs an action; shows its error in the toolbar and resolves to undefined when it fails. */
async function act(action) {
  try {
    return await action();
  } catch (error) {
    say(error instanceof NetworkError ? 'The server could not be reached; nothing was changed.' : error.message, true);
    return undefined;
  }
}

function say(message, isError = false) {
  toolbarStatus.textContent = message;
  toolbarStatus.classList.toggle('error', isError);
}

function updateEmptyNote() {
  document.getElementById('loading-note').hidden = true;
  document.getElementById('empty-note').hidden = list.size > 0;
}

async function loadTypes() {
  const answer = await api.call('ListBackendTypes');
  types = new Map(answer.list.map(type => [type.id, type]));
  renderTypeChooser(answer.list);
}

async function probeLogs() {
  try {
    await api.call('GetBackendLogs', { backend_id: -2147483648, limit: 1 });
    return true;
  } catch (error) {
    // Only an unknown route means "no logs here"; an unknown backend id means the route exists.
    return !(error instanceof ApiError && error.errorId === 'bad_route');
  }
}

function renderTypeChooser(typeArray) {
  typeList.replaceChildren(...typeArray.map(type => {
    const button = el('button', { type: 'button', class: 'type-choice', 'data-type-id': type.id },
      el('span', { class: 'type-name', text: type.name }),
      type.is_standard ? '' : el('span', { class: 'badge', text: 'advanced' }),
      el('span', { class: 'type-description', text: type.description }));
    button.addEventListener('click', () => addBackend(type));
    return el('li', { class: type.is_standard ? 'standard' : 'advanced', hidden: !type.is_standard && !showAdvanced.checked }, button);
  }));
}

async function addBackend(type) {
  addError.textContent = '';
  try {
    const view = await api.call('AddNewBackend', { type_id: type.id });
    setAddPanel(false);
    const card = list.show(view);
    updateEmptyNote();
    card.openEditor();
    card.element.scrollIntoView({ block: 'nearest' });
  } catch (error) {
    addError.textContent = error.message;
  }
}

function setAddPanel(open) {
  addPanel.hidden = !open;
  addButton.setAttribute('aria-expanded', String(open));
  if (open) {
    addError.textContent = '';
    (typeList.querySelector('li:not([hidden]) button') || showAdvanced).focus();
  }
}

async function refresh() {
  const views = await api.call('ListBackends', { nonreal: true, full_data: true });
  list.apply(views);
  updateEmptyNote();
}

function refreshSoon() {
  clearTimeout(pollTimer);
  pollTimer = setTimeout(poll, 0);
}

async function poll() {
  clearTimeout(pollTimer);
  try {
    await refresh();
  } catch (error) {
    if (!(error instanceof NetworkError)) {
      say(error.message, true);
    }
  }
  clearTimeout(pollTimer);
  pollTimer = setTimeout(poll, POLL_EVERY_MS);
}

async function start() {
  try {
    await loadTypes();
    logsAvailable = await probeLogs();
  } catch (error) {
    if (!(error instanceof NetworkError)) {
      say(error.message, true);
    }
    setTimeout(start, RETRY_START_EVERY_MS);
    return;
  }
  poll();
}

addButton.addEventListener('click', () => setAddPanel(addPanel.hidden));
showAdvanced.addEventListener('change', () => {
  for (const item of typeList.querySelectorAll('li.advanced')) {
    item.hidden = !showAdvanced.checked;
  }
});
addPanel.addEventListener('keydown', event => {
  if (event.key === 'Escape') {
    setAddPanel(false);
    addButton.focus();
  }
});
document.getElementById('restart-all').addEventListener('click', async () => {
  const answer = await act(() => api.call('RestartBackends', {}));
  if (answer) {
    say(answer.count === 1 ? 'Restarting 1 backend.' : `Restarting ${answer.count} backends.`);
  }
  refreshSoon();
});
for (const [id, systemRam] of [['free-vram', false], ['free-ram', true]]) {
  document.getElementById(id).addEventListener('click', async () => {
    const answer = await act(() => api.call('FreeBackendMemory', { system_ram: systemRam }));
    if (answer) {
      const what = systemRam ? 'GPU and system memory' : 'GPU memory';
      say(answer.result ? `Freed ${what} on ${answer.count} backend${answer.count === 1 ? '' : 's'}.` : 'No running backend to free memory on.');
    }
  });
}

start();
