// The roles in the Users view: each with its description and permissions, read-only; with configure_roles each
// role that does not hold everything gets its permissions as checkboxes (from AdminListPermissions), saved with
// AdminEditRole.
import { failureText } from './api.js';
import { el, setText } from './dom.js';

export class RolesList {
  /**
   * @param {import('./api.js').SwarmApi} api
   * @param {import('./account.js').Account} account
   */
  constructor(api, account) {
    this.api = api;
    this.account = account;
    this.container = document.getElementById('roles-list');
    this.status = document.getElementById('roles-status');
    this.catalog = null;
    this.open = new Set();
  }

  /**
   * Reads and shows the roles.
   * @returns {Promise<string[]>} the role names; rejects when the roles cannot be read (shown in the section)
   */
  async load() {
    let roles;
    try {
      roles = (await this.api.call('AdminListRoles')).roles || {};
      if (this.account.can('configure_roles') && this.catalog === null) {
        this.catalog = (await this.api.call('AdminListPermissions')).permissions || {};
      }
    } catch (error) {
      setText(this.status, `The roles cannot be shown: ${failureText(error, 'the server could not be reached.')}`);
      this.container.replaceChildren();
      throw error;
    }
    setText(this.status, '');
    const names = Object.keys(roles).sort();
    this.container.replaceChildren(...names.map(name => this.#role(name, roles[name])));
    return names;
  }

  #role(name, role) {
    const permissions = permissionList(role.permissions);
    const all = permissions.includes('*');
    const summary = el('summary', {},
      el('span', { class: 'role-name', text: name }),
      role.is_builtin ? el('span', { class: 'badge', text: 'built-in' }) : '',
      el('span', { class: 'muted', text: all ? ' every permission' : ` ${permissions.length} permission${permissions.length === 1 ? '' : 's'}` }));
    const details = el('details', { class: 'role', 'data-role-name': name, open: this.open.has(name) }, summary);
    details.addEventListener('toggle', () => {
      if (details.open) {
        this.open.add(name);
      } else {
        this.open.delete(name);
      }
    });
    if (role.description) {
      details.append(el('p', { class: 'role-description', text: role.description }));
    }
    if (all) {
      details.append(el('p', { text: 'Holds every permission (*), including those added later.' }));
    } else if (this.catalog && this.account.can('configure_roles')) {
      details.append(this.#editor(name, role, permissions));
    } else {
      details.append(el('ul', { class: 'permission-ids' },
        ...permissions.map(id => el('li', { text: this.catalog?.[id]?.name ? `${this.catalog[id].name} (${id})` : id }))));
    }
    return details;
  }

  #editor(name, role, held) {
    const groups = new Map();
    for (const [id, info] of Object.entries(this.catalog)) {
      const group = info.group || 'other';
      if (!groups.has(group)) {
        groups.set(group, []);
      }
      groups.get(group).push([id, info]);
    }
    const boxes = [];
    const fieldsets = [...groups.keys()].sort().map(group => el('fieldset', { class: 'permission-group' },
      el('legend', { text: group }),
      ...groups.get(group).map(([id, info]) => {
        const boxId = `role-${name}-${id}`;
        const box = el('input', { type: 'checkbox', id: boxId, value: id, checked: held.includes(id) });
        boxes.push(box);
        return el('div', { class: 'check-line' }, box,
          el('label', { for: boxId, title: info.description || '', text: info.name || id }));
      })));
    const error = el('p', { class: 'form-error', role: 'alert' });
    const save = el('button', { type: 'submit', class: 'primary', text: `Save ${name}` });
    const form = el('form', { class: 'role-editor', method: 'post', novalidate: true }, ...fieldsets,
      el('div', { class: 'form-buttons' }, save), error);
    form.addEventListener('submit', async event => {
      event.preventDefault();
      error.textContent = '';
      save.disabled = true;
      const chosen = boxes.filter(box => box.checked).map(box => box.value);
      // Held ids the catalog does not list (another version's) are kept, not silently dropped.
      const unknown = held.filter(id => !(id in this.catalog));
      try {
        await this.api.call('AdminEditRole', editRequest(name, role, [...chosen, ...unknown]));
      } catch (failure) {
        error.textContent = failureText(failure);
        save.disabled = false;
        return;
      }
      await this.load().catch(() => {});
      if (this.status.textContent === '') {
        setText(this.status, `Saved the role ${name}.`);
      }
    });
    return form;
  }
}

/** A role's permission ids, whether the server lists them as an array or as SwarmUI's comma-separated text. */
function permissionList(value) {
  if (Array.isArray(value)) {
    return value.map(String);
  }
  return typeof value === 'string' ? value.split(',').map(id => id.trim()).filter(id => id !== '') : [];
}

/** AdminEditRole sets every field of a role: the others are sent back as they were. */
function editRequest(name, role, permissions) {
  const request = { name, permissions: permissions.join(',') };
  for (const field of ['description', 'max_outpath_depth', 'max_t2i_simultaneous', 'allow_unsafe_outpaths',
    'model_whitelist', 'model_blacklist']) {
    if (role[field] !== undefined && role[field] !== null) {
      request[field] = Array.isArray(role[field]) ? role[field].join(',') : role[field];
    }
  }
  return request;
}
