// The two dialogs that hold secrets: setting another user's password, and showing a new API key once. Whatever
// they held is removed from the page when they close.
import { failureText } from './api.js';

/**
 * Asks for a new password and hands it to `apply`; stays open showing the error while `apply` fails.
 * @param {string} title e.g. "Set the password of alice"
 * @param {function(string): Promise<void>} apply sends the password (rejects with the server's refusal)
 * @returns {Promise<boolean>} true when the password was set
 */
export function askNewPassword(title, apply) {
  const dialog = document.getElementById('set-password-dialog');
  const form = document.getElementById('set-password-form');
  const input = document.getElementById('set-password-input');
  const error = document.getElementById('set-password-error');
  const cancel = document.getElementById('set-password-cancel');
  const ok = document.getElementById('set-password-ok');
  document.getElementById('set-password-title').textContent = title;
  error.textContent = '';
  input.value = '';
  let done = false;
  const onSubmit = async event => {
    // method="dialog" would close at once; it closes only once the server accepted the password.
    event.preventDefault();
    error.textContent = '';
    if (input.value === '') {
      error.textContent = 'Enter the new password.';
      input.focus();
      return;
    }
    ok.disabled = true;
    try {
      await apply(input.value);
      done = true;
      dialog.close();
    } catch (failure) {
      error.textContent = failureText(failure);
      input.focus();
    } finally {
      ok.disabled = false;
    }
  };
  const onCancel = () => dialog.close();
  form.addEventListener('submit', onSubmit);
  cancel.addEventListener('click', onCancel);
  return new Promise(resolve => {
    dialog.addEventListener('close', () => {
      input.value = '';
      error.textContent = '';
      form.removeEventListener('submit', onSubmit);
      cancel.removeEventListener('click', onCancel);
      resolve(done);
    }, { once: true });
    dialog.showModal();
    input.focus();
  });
}

/**
 * Shows a new API key once, with a copy button; the key leaves the page when the dialog closes.
 * @param {string} key the key as CreateAPIKey answered it
 * @returns {Promise<void>} resolved when the dialog closed
 */
export function showNewKey(key) {
  const dialog = document.getElementById('key-dialog');
  const value = document.getElementById('key-dialog-value');
  const copy = document.getElementById('key-dialog-copy');
  const copied = document.getElementById('key-dialog-copied');
  const close = document.getElementById('key-dialog-close');
  value.value = key;
  copied.textContent = '';
  const onCopy = async () => {
    copied.textContent = await copyText(value) ? 'Copied to the clipboard.' : 'Copying failed: select the key and copy it yourself.';
  };
  const onClose = () => dialog.close();
  copy.addEventListener('click', onCopy);
  close.addEventListener('click', onClose);
  return new Promise(resolve => {
    dialog.addEventListener('close', () => {
      value.value = '';
      copied.textContent = '';
      copy.removeEventListener('click', onCopy);
      close.removeEventListener('click', onClose);
      resolve();
    }, { once: true });
    dialog.showModal();
    value.focus();
    value.select();
  });
}

/** Copies an input's text: the Clipboard API where the page is a secure context, else the selection. */
async function copyText(input) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(input.value);
      return true;
    } catch (error) {
      // Denied (e.g. no user activation): the selection below may still work.
    }
  }
  input.focus();
  input.select();
  try {
    return document.execCommand('copy');
  } catch (error) {
    return false;
  }
}
