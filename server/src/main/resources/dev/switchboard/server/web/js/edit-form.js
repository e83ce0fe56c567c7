// The edit form of one backend, generated from its type's settings schema (ListBackendTypes).
import { el } from './dom.js';

/** What the server shows instead of a stored secret, and accepts back as "keep the stored one". */
export const SECRET_PLACEHOLDER = '\t<secret>';

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/**
 * Builds the form.
 * @param {object} view the backend view being edited
 * @param {object|undefined} type its type from ListBackendTypes (undefined when the type is unknown here)
 * @param {{save: function(object): Promise<void>, cancel: function(): void}} actions save receives the
 *   EditBackend body (without session) and rejects with an Error whose message is shown next to the form
 * @returns {{element: HTMLFormElement, focus: function(): void}}
 */
export function buildEditForm(view, type, actions) {
  const prefix = `edit-${view.id < 0 ? 'n' + -view.id : view.id}`;
  const form = el('form', { class: 'edit-form', novalidate: true, 'aria-label': `Edit backend ${view.id}` });
  const fields = [];

  const title = textField(`${prefix}-title`, 'Title', view.title, type ? type.name : '',
    'Shown on this page and to clients; empty shows the type name.');
  const id = textField(`${prefix}-id`, 'ID', String(view.id), '', 'Change it to give this backend another free id.');
  id.input.setAttribute('inputmode', 'numeric');
  form.append(title.row, id.row);

  for (const setting of (type ? type.settings : [])) {
    const field = settingField(prefix, setting, view.settings[setting.name]);
    if (field) {
      fields.push(field);
      form.append(field.row);
    }
  }

  const error = el('p', { class: 'form-error', role: 'alert', 'data-role': 'form-error' });
  const saveButton = el('button', { type: 'submit', class: 'primary', 'data-action': 'save', text: 'Save' });
  const cancelButton = el('button', { type: 'button', 'data-action': 'cancel', text: 'Cancel' });
  form.append(error, el('div', { class: 'form-buttons' }, saveButton, cancelButton));

  cancelButton.addEventListener('click', () => actions.cancel());
  form.addEventListener('keydown', event => {
    if (event.key === 'Escape') {
      actions.cancel();
    }
  });
  form.addEventListener('submit', async event => {
    event.preventDefault();
    error.textContent = '';
    let valid = true;
    const settings = {};
    for (const field of fields) {
      const result = field.read();
      field.showError(result.error || '');
      if (result.error) {
        valid = false;
      } else {
        settings[field.name] = result.value;
      }
    }
    const idText = id.input.value.trim();
    const idValid = INTEGER.test(idText) && Number(idText) >= 0 && Number(idText) <= INT32_MAX
      || idText === String(view.id);
    id.showError(idValid ? '' : 'The id must be a whole number, 0 or more.');
    if (!valid || !idValid) {
      error.textContent = 'Please correct the marked fields.';
      form.querySelector('[aria-invalid="true"]')?.focus();
      return;
    }
    const body = { backend_id: view.id, title: title.input.value, settings };
    if (idText !== String(view.id)) {
      body.new_id = Number(idText);
    }
    saveButton.disabled = true;
    try {
      await actions.save(body);
    } catch (failure) {
      error.textContent = failure.message;
    } finally {
      saveButton.disabled = false;
    }
  });

  return {
    element: form,
    focus: () => (form.querySelector('[data-setting]') || title.input).focus(),
  };
}

function settingField(prefix, setting, current) {
  const inputId = `${prefix}-s-${setting.name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  if (setting.is_secret) {
    return secretField(inputId, setting, current);
  }
  switch (setting.type) {
    case 'text':
      return described(textField(inputId, setting.name, current ?? '', setting.placeholder, setting.description),
        setting, input => ({ value: input.value }));
    case 'integer':
      return numberField(inputId, setting, current, 'numeric', text => {
        if (!INTEGER.test(text) || Number(text) < INT32_MIN || Number(text) > INT32_MAX) {
          return { error: `${setting.name} must be a whole number.` };
        }
        return { value: Number(text) };
      });
    case 'decimal':
      return numberField(inputId, setting, current, 'decimal', text => {
        if (!DECIMAL.test(text) || !Number.isFinite(Number(text))) {
          return { error: `${setting.name} must be a number, like 1.5.` };
        }
        return { value: Number(text) };
      });
    case 'boolean':
      return booleanField(inputId, setting, current === true);
    case 'dropdown':
      return dropdownField(inputId, setting, current);
    case 'list':
      return listField(inputId, setting, current);
    default:
      return null;
  }
}

function textField(inputId, label, value, placeholder, description) {
  const input = el('input', { id: inputId, type: 'text', placeholder: placeholder || false, autocomplete: 'off' });
  input.value = value ?? '';
  return row(inputId, label, input, description);
}

function numberField(inputId, setting, current, mode, parse) {
  const field = textField(inputId, setting.name, current === undefined || current === null ? '' : String(current),
    setting.placeholder, setting.description);
  field.input.setAttribute('inputmode', mode);
  return described(field, setting, input => parse(input.value.trim()));
}

function booleanField(inputId, setting, checked) {
  const input = el('input', { id: inputId, type: 'checkbox' });
  input.checked = checked;
  const field = row(inputId, setting.name, input, setting.description, 'check-row');
  return described(field, setting, () => ({ value: input.checked }));
}

function dropdownField(inputId, setting, current) {
  const select = el('select', { id: inputId });
  const values = setting.values || [];
  const names = setting.value_names || values;
  values.forEach((value, index) => select.append(el('option', { value, text: names[index] ?? value })));
  if (current !== undefined && current !== null && !values.includes(String(current))) {
    select.append(el('option', { value: String(current), text: `${current} (not offered any more)` }));
  }
  if (current !== undefined && current !== null) {
    select.value = String(current);
  }
  return described(row(inputId, setting.name, select, setting.description), setting, () => ({ value: select.value }));
}

function listField(inputId, setting, current) {
  const area = el('textarea', { id: inputId, rows: 3, placeholder: 'One entry per line' });
  area.value = Array.isArray(current) ? current.join('\n') : '';
  const field = row(inputId, setting.name, area, setting.description);
  return described(field, setting, () => ({
    value: area.value.split('\n').map(line => line.trim()).filter(line => line.length > 0),
  }));
}

function secretField(inputId, setting, current) {
  const stored = current === SECRET_PLACEHOLDER;
  const input = el('input', {
    id: inputId, type: 'password', autocomplete: 'new-password',
    placeholder: stored ? 'Stored secret kept' : (setting.placeholder || false),
  });
  const field = row(inputId, setting.name, input, setting.description);
  let clear = null;
  if (stored) {
    clear = el('input', { id: `${inputId}-clear`, type: 'checkbox' });
    field.row.append(el('label', { class: 'inline', for: `${inputId}-clear` }, clear, ' Remove the stored secret'));
  }
  return described(field, setting, () => {
    if (input.value !== '') {
      return { value: input.value };
    }
    if (stored && !clear.checked) {
      return { value: SECRET_PLACEHOLDER };
    }
    return { value: '' };
  });
}

function row(inputId, label, input, description, extraClass) {
  const hintId = `${inputId}-hint`;
  const errorId = `${inputId}-error`;
  const describedBy = [description ? hintId : null, errorId].filter(Boolean).join(' ');
  input.setAttribute('aria-describedby', describedBy);
  const labelElement = el('label', { for: inputId, text: label });
  const fieldError = el('span', { id: errorId, class: 'field-error' });
  const rowElement = el('div', { class: `field ${extraClass || ''}`.trim() }, labelElement, input);
  if (description) {
    rowElement.append(el('small', { id: hintId, class: 'hint', text: description }));
  }
  rowElement.append(fieldError);
  return {
    row: rowElement,
    input,
    showError(message) {
      fieldError.textContent = message;
      if (message) {
        input.setAttribute('aria-invalid', 'true');
      } else {
        input.removeAttribute('aria-invalid');
      }
    },
  };
}

function described(field, setting, read) {
  field.input.setAttribute('data-setting', setting.name);
  return { ...field, name: setting.name, read: () => read(field.input) };
}
