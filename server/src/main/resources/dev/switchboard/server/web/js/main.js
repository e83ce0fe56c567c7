// The page: wires the API, the three views (Generate, Gallery, Backends) and the header's queue counters, and keeps
// them live by polling ListBackends and GetCurrentStatus.
import { NetworkError, SwarmApi } from './api.js';
import { BackendsView } from './backends-view.js';
import { Gallery } from './gallery.js';
import { GenerateForm } from './generate-form.js';
import { GenerationRuns } from './generation.js';
import { ImageDialog } from './image-dialog.js';
import { QueueStatus } from './queue-status.js';
import { Views } from './views.js';

// At most 2 s between two looks at the backends (the bound); one second keeps changes prompt.
const POLL_EVERY_MS = 1000;
const RETRY_START_EVERY_MS = 2000;
// Models are read again when the backends change, and at least this often.
const MODELS_EVERY_POLLS = 5;

const banner = document.getElementById('network-banner');
const serverInfo = document.getElementById('server-info');
const genError = document.getElementById('gen-error');
const genStatus = document.getElementById('gen-status');
const interruptButton = document.getElementById('gen-interrupt');

let serverId = null;
let pollTimer = null;
let pollCount = 0;
let modelsSignature = null;
let started = false;

const api = new SwarmApi({
  onConnection(reachable, reason) {
    // Dims what may be out of date.
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
      // A restarted server may have other plugins and parameters, so both are read again.
      backends.loadTypes().catch(() => {});
      loadParams().catch(() => {});
    }
    serverId = session.server_id;
  },
});

const queue = new QueueStatus();
const form = new GenerateForm();
const backends = new BackendsView(api, refreshSoon);
const dialog = new ImageDialog(params => {
  form.fill(params);
  views.go('generate');
  say('The form now holds that image’s settings.');
  form.focus();
});
const gallery = new Gallery(api, image => dialog.open(image));
const runs = new GenerationRuns(api, {
  onStatus: status => applyStatus(status),
  onImage: () => {
    modelsSignature = null;
    if (views.current === 'gallery') {
      gallery.load();
    }
  },
  showError: text => {
    genError.textContent = text;
  },
  say,
  openImage: image => dialog.open(image),
  onActiveChange: count => {
    interruptButton.disabled = count === 0;
    refreshSoon();
  },
});
const views = new Views(name => {
  if (name === 'gallery') {
    gallery.load();
  }
});

function say(text) {
  genStatus.textContent = text;
}

function applyStatus(status) {
  queue.apply(status);
  form.setFeatures(queue.features);
}

async function loadParams() {
  const answer = await api.call('ListT2IParams');
  form.configure(answer.list);
}

async function refresh() {
  const list = await api.call('ListBackends', { nonreal: true, full_data: true });
  backends.apply(list);
  form.setBackends(list, id => backends.typeName(id));
  applyStatus(await api.call('GetCurrentStatus'));
  const signature = JSON.stringify(Object.values(list).map(view => [view.id, view.status, view.current_model]));
  if (signature !== modelsSignature || pollCount % MODELS_EVERY_POLLS === 0) {
    const models = await api.call('ListModels', { path: '', depth: 20 });
    form.setModels(models.files);
    modelsSignature = signature;
  }
  pollCount++;
}

function refreshSoon() {
  if (started) {
    clearTimeout(pollTimer);
    pollTimer = setTimeout(poll, 0);
  }
}

async function poll() {
  clearTimeout(pollTimer);
  try {
    await refresh();
  } catch (error) {
    if (!(error instanceof NetworkError)) {
      backends.say(error.message, true);
    }
  }
  clearTimeout(pollTimer);
  pollTimer = setTimeout(poll, POLL_EVERY_MS);
}

async function start() {
  try {
    await backends.loadTypes();
    await backends.probeLogs();
    await loadParams();
  } catch (error) {
    if (!(error instanceof NetworkError)) {
      backends.say(error.message, true);
    }
    setTimeout(start, RETRY_START_EVERY_MS);
    return;
  }
  started = true;
  poll();
}

document.getElementById('generate-form').addEventListener('submit', event => {
  event.preventDefault();
  say('');
  const body = form.read();
  if (body) {
    runs.start(body);
  }
});
interruptButton.addEventListener('click', async () => {
  try {
    await runs.interrupt();
  } catch (error) {
    genError.textContent = error instanceof NetworkError ? 'The server could not be reached; nothing was interrupted.' : error.message;
  }
});

start();
