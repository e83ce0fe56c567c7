// The output of one backend (GetBackendLogs), shown in a dialog and followed while the dialog is open.

const FOLLOW_EVERY_MS = 2000;
const PAGE_LINES = 500;

export class LogsViewer {
  constructor(api) {
    this.api = api;
    this.dialog = document.getElementById('logs-dialog');
    this.text = document.getElementById('logs-text');
    this.note = document.getElementById('logs-note');
    this.title = document.getElementById('logs-title');
    this.timer = null;
    this.returnFocus = null;
    document.getElementById('logs-close').addEventListener('click', () => this.dialog.close());
    this.dialog.addEventListener('close', () => {
      clearTimeout(this.timer);
      this.timer = null;
      this.returnFocus?.focus();
    });
  }

  /** Opens the dialog for a backend and keeps appending new lines until it is closed. */
  open(backendId, title, returnFocus) {
    this.returnFocus = returnFocus;
    this.title.textContent = `Logs of ${title} (#${backendId})`;
    this.text.textContent = '';
    this.note.textContent = 'Loading…';
    this.dialog.showModal();
    document.getElementById('logs-close').focus();
    this.#follow(backendId, 0);
  }

  async #follow(backendId, since) {
    let next = since;
    try {
      const page = await this.api.call('GetBackendLogs', { backend_id: backendId, since, limit: PAGE_LINES });
      if (page.dropped > 0) {
        this.text.append(`… ${page.dropped} older lines were discarded …\n`);
      }
      if (page.lines.length > 0) {
        const atBottom = this.text.scrollTop + this.text.clientHeight >= this.text.scrollHeight - 4;
        this.text.append(page.lines.join('\n') + '\n');
        if (atBottom) {
          this.text.scrollTop = this.text.scrollHeight;
        }
      }
      this.note.textContent = this.text.textContent === '' ? 'This backend has not written any output yet.' : '';
      next = page.next;
    } catch (error) {
      this.note.textContent = error.message;
    }
    if (this.dialog.open) {
      this.timer = setTimeout(() => this.#follow(backendId, next), FOLLOW_EVERY_MS);
    }
  }
}
