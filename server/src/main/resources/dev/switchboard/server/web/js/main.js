// The page: wires the API, the views (Generate, Gallery, Backends; with accounts Users, Audit log, My account) and the
// header's queue counters, and keeps them live by polling ListBackends and GetCurrentStatus. With accounts and no
// login it shows only the login form; logged in, only what the session's permissions allow.
import { Account } from './account.js';
import { NetworkError, SwarmApi } from './api.js';
import { AuditLog } from './audit-log.js';
import { BackendsView } from './backends-view.js';
import { Gallery } from './gallery.js';
import { GenerateForm } from './generate-form.js';
import { GenerationRuns } from './generation.js';
import { ImageDialog } from './image-dialog.js';
import { LoginForm } from './login-form.js';
import { MyAccount } from './my-account.js';
import { QueueStatus } from './queue-status.js';
import { UsersView } from './users-view.js';
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
    if (account.known && session.user_id !== account.user) {
      // Someone else now (logged out elsewhere, the login expired, accounts were just turned on): start again clean,
      // so nothing of the previous user's page stays.
      location.reload();
      return;
    }
    const first = !account.known;
    account.apply(session);
    if (first) {
      views.recheck();
    }
    serverInfo.textContent = session.user_id ? `Switchboard ${session.version} · user ${session.user_id}`
      : `Switchboard ${session.version}`;
    if (serverId !== null && session.server_id !== serverId) {
      // A restarted server may have other plugins and parameters, so both are read again.
      if (account.can('view_backends_list')) {
        backends.loadTypes().catch(() => {});
      }
      if (account.can('fundamental_generate_tab_access')) {
        loadParams().catch(() => {});
      }
    }
    serverId = session.server_id;
  },
});

const account = new Account(api);
const login = new LoginForm(api, () => location.reload());
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
const usersView = new UsersView(api, account);
const auditLog = new AuditLog(api);
const myAccount = new MyAccount(api, account);
// Views that read from the server do so only once the session is known (an anonymous one may read nothing).
const views = new Views(name => {
  if (!account.known) {
    return;
  }
  if (name === 'gallery') {
    gallery.load();
  } else if (name === 'users') {
    usersView.load();
  } else if (name === 'audit') {
    auditLog.load();
  } else if (name === 'account') {
    myAccount.load();
  }
}, name => account.canView(name));

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

// Reads only what the session may read: a route it lacks would only answer with a permission error.
async function refresh() {
  let list = {};
  if (account.can('view_backends_list')) {
    list = await api.call('ListBackends', { nonreal: true, full_data: true });
    backends.apply(list);
    form.setBackends(list, id => backends.typeName(id));
  }
  if (account.can('fundamental_generate_tab_access')) {
    applyStatus(await api.call('GetCurrentStatus'));
  }
  const signature = JSON.stringify(Object.values(list).map(view => [view.id, view.status, view.current_model]));
  if (account.can('fundamental_model_access')
      && (signature !== modelsSignature || pollCount % MODELS_EVERY_POLLS === 0)) {
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
    await api.sessionId();
    if (account.anonymous) {
      login.show();
      return;
    }
    if (account.can('view_backends_list')) {
      await backends.loadTypes();
      if (account.can('view_logs')) {
        await backends.probeLogs();
      }
    }
    if (account.can('fundamental_generate_tab_access')) {
      await loadParams();
    }
  } catch (error) {
    if (!(error instanceof NetworkError)) {
      if (account.known) {
        backends.say(error.message, true);
      } else {
        // No session at all (GetNewSession refused): nothing else on the page could say why.
        banner.textContent = `The server gave no session: ${error.message} Retrying…`;
        banner.hidden = false;
      }
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
