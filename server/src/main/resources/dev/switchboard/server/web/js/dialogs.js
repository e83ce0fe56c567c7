// A confirmation built on <dialog>: keyboard friendly (Esc cancels, focus is trapped) and scriptable in tests.

/**
 * Asks a yes/no question.
 * @param {string} question the full question, naming what will happen
 * @param {string} confirmLabel the label of the button that goes ahead, e.g. "Delete"
 * @returns {Promise<boolean>} true when the user confirmed
 */
export function confirmAction(question, confirmLabel) {
  const dialog = document.getElementById('confirm-dialog');
  document.getElementById('confirm-text').textContent = question;
  document.getElementById('confirm-ok').textContent = confirmLabel;
  dialog.returnValue = '';
  return new Promise(resolve => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.showModal();
    document.getElementById('confirm-cancel').focus();
  });
}
