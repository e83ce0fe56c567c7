// One backend as a card. Built once; each poll updates only the parts whose values changed, so focus,
// scroll position and an open editor survive the live updates.
import { el, setText } from './dom.js';
import { buildEditForm } from './edit-form.js';

const RESTARTABLE = new Set(['running', 'errored']);

export class BackendCard {
  /**
   * @param {object} view the backend view from ListBackends / AddNewBackend
   * @param {object} page what a card needs from the page: typeOf(id), actions (toggle, restart, logs,
   *   remove, save), logsAvailable()
   */
  constructor(view, page) {
    this.page = page;
    this.view = null;
    this.signature = '';
    this.editor = null;
    this.#build(view.id);
    this.update(view);
  }

  get id() {
    return this.view.id;
  }

  get parentId() {
    return this.view.parent_id;
  }

  /** The element that holds this card's non-real children (created with the card, shown when used). */
  get childList() {
    return this.parts.childList;
  }

  /** Applies a newer view; does nothing when nothing shown changed. */
  update(view) {
    const signature = JSON.stringify(view);
    if (signature === this.signature) {
      return;
    }
    this.view = view;
    this.signature = signature;
    this.#render();
  }

  /** Shows the edit form in place of the card's details. */
  openEditor() {
    if (this.editor) {
      this.editor.focus();
      return;
    }
    this.editor = buildEditForm(this.view, this.page.typeOf(this.view.type), {
      save: async body => {
        const updated = await this.page.actions.save(this, body);
        this.closeEditor();
        this.update(updated);
      },
      cancel: () => this.closeEditor(),
    });
    this.parts.editorSlot.replaceChildren(this.editor.element);
    this.element.classList.add('editing');
    this.editor.focus();
  }

  closeEditor() {
    if (!this.editor) {
      return;
    }
    this.editor = null;
    this.parts.editorSlot.replaceChildren();
    this.element.classList.remove('editing');
    this.parts.editButton.focus();
  }

  /** Updates how many children are nested in this card. */
  setChildCount(count) {
    this.parts.children.hidden = count === 0;
    setText(this.parts.childSummary, count === 1 ? '1 child backend' : `${count} child backends`);
  }

  #build(id) {
    const key = id < 0 ? `n${-id}` : String(id);
    const titleId = `card-${key}-title`;
    const title = el('h3', { id: titleId, class: 'card-title' });
    const idText = el('span', { class: 'card-id' });
    const statusText = el('span', { class: 'status-text', 'data-role': 'status' });
    const status = el('span', { class: 'status' }, el('span', { class: 'status-dot', 'aria-hidden': 'true' }), statusText);
    const type = el('p', { class: 'card-type' });
    const message = el('p', { class: 'status-message', 'data-role': 'status-message' });
    const features = el('dd', { class: 'features' });
    const usages = el('dd', { 'data-role': 'usages' });
    const lastUsed = el('dd', { 'data-role': 'last-used' });
    const modelLabel = el('dt', { text: 'Model' });
    const model = el('dd', { class: 'model' });
    const facts = el('dl', { class: 'facts' },
      el('dt', { text: 'Features' }), features,
      el('dt', { text: 'Jobs' }), usages,
      el('dt', { text: 'Last used' }), lastUsed,
      modelLabel, model);
    const toggle = el('input', { type: 'checkbox', role: 'switch', id: `card-${key}-enabled`, 'data-action': 'toggle' });
    const toggleLabel = el('label', { class: 'switch', for: `card-${key}-enabled` }, toggle,
      el('span', { class: 'switch-track', 'aria-hidden': 'true' }), el('span', { text: 'Enabled' }));
    const editButton = el('button', { type: 'button', 'data-action': 'edit', 'data-needs': 'edit_backends', text: 'Edit' });
    const restartButton = el('button', { type: 'button', 'data-action': 'restart', 'data-needs': 'restart_backends',
      text: 'Restart' });
    const logsButton = el('button', { type: 'button', 'data-action': 'logs', 'data-needs': 'view_logs', text: 'Logs' });
    const deleteButton = el('button', { type: 'button', 'data-action': 'delete', 'data-needs': 'add_remove_backends',
      class: 'danger', text: 'Delete' });
    const switchRow = el('div', { class: 'switch-row', 'data-needs': 'toggle_backends' }, toggleLabel);
    const actions = el('div', { class: 'card-actions' }, switchRow,
      editButton, restartButton, logsButton, deleteButton);
    const editorSlot = el('div', { class: 'editor-slot' });
    const childSummary = el('summary');
    const childList = el('div', { class: 'child-list' });
    const children = el('details', { class: 'children', open: true, hidden: true }, childSummary, childList);

    this.element = el('article', { class: 'card', 'aria-labelledby': titleId },
      el('header', { class: 'card-head' }, title, idText, status),
      type, message, facts, actions, editorSlot, children);
    this.parts = {
      title, idText, statusText, type, message, features, usages, lastUsed, modelLabel, model, toggle,
      editButton, restartButton, logsButton, deleteButton, editorSlot, children, childSummary, childList,
    };

    toggle.addEventListener('change', () => this.page.actions.toggle(this, toggle.checked));
    editButton.addEventListener('click', () => this.openEditor());
    restartButton.addEventListener('click', () => this.page.actions.restart(this));
    logsButton.addEventListener('click', () => this.page.actions.logs(this));
    deleteButton.addEventListener('click', () => this.page.actions.remove(this));
  }

  #render() {
    const view = this.view;
    const parts = this.parts;
    const type = this.page.typeOf(view.type);
    this.element.dataset.backendId = String(view.id);
    this.element.dataset.status = view.status;
    this.element.classList.toggle('nonreal', view.parent_id !== undefined);
    setText(parts.title, this.displayTitle());
    setText(parts.idText, `#${view.id}`);
    setText(parts.statusText, view.status);
    setText(parts.type, type ? `${type.name} (${view.type})` : view.type);
    setText(parts.message, view.status_message || '');
    const features = (view.features || []).slice().sort();
    setText(parts.features, features.length ? features.join(', ') : 'none');
    // usages (the jobs running now) comes with full_data; max_usages is how many it may run at once.
    setText(parts.usages, view.usages === undefined ? `at most ${view.max_usages} at once`
      : `${view.usages} of ${view.max_usages} running`);
    setText(parts.lastUsed, view.time_since_used || 'Never');
    const hasModel = typeof view.current_model === 'string' && view.current_model !== '';
    parts.modelLabel.hidden = !hasModel;
    parts.model.hidden = !hasModel;
    setText(parts.model, hasModel ? view.current_model : '');
    if (parts.toggle.checked !== view.enabled) {
      parts.toggle.checked = view.enabled;
    }
    parts.toggle.setAttribute('aria-label', `Enable backend ${this.displayTitle()}`);
    parts.restartButton.disabled = !RESTARTABLE.has(view.status);
    parts.logsButton.hidden = !this.page.logsAvailable();
    parts.restartButton.setAttribute('aria-label', `Restart ${this.displayTitle()}`);
    parts.deleteButton.setAttribute('aria-label', `Delete ${this.displayTitle()}`);
    parts.editButton.setAttribute('aria-label', `Edit ${this.displayTitle()}`);
    parts.logsButton.setAttribute('aria-label', `Logs of ${this.displayTitle()}`);
  }

  /** The title as SwarmUI shows it: the user's title, or the type's display name when none was set. */
  displayTitle() {
    if (this.view.title) {
      return this.view.title;
    }
    const type = this.page.typeOf(this.view.type);
    return type ? type.name : this.view.type;
  }
}
