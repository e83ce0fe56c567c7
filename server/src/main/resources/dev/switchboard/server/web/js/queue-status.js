// The header's counters: this page's generations waiting, running and loading models (GetCurrentStatus).
import { setText } from './dom.js';

export class QueueStatus {
  constructor() {
    const part = role => document.querySelector(`#queue [data-role="${role}"]`);
    this.waiting = part('queue-waiting');
    this.running = part('queue-running');
    this.loading = part('queue-loading');
    this.features = [];
  }

  /** Shows a status object (GetCurrentStatus' answer, or the status messages of a generation). */
  apply(answer) {
    const status = answer.status || {};
    setText(this.waiting, String(status.waiting_backends ?? 0));
    setText(this.running, String(status.live_gens ?? 0));
    setText(this.loading, String(status.loading_models ?? 0));
    this.features = Array.isArray(answer.supported_features) ? answer.supported_features : [];
  }
}
