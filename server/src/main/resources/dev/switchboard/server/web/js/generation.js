// Generation runs over GenerateText2ImageWS: one socket per request, a slot per image with its progress bar,
// preview, final image and seed; the server's errors as it words them; a lost connection fails what was unfinished.
import { NetworkError } from './api.js';
import { el, setText } from './dom.js';
import { imageUrl } from './image-dialog.js';
import { imageParams } from './metadata.js';

const NORMAL_CLOSE = 1000;
const INTERRUPTED = 'Generation session interrupted.';

export class GenerationRuns {
  /**
   * @param {import('./api.js').SwarmApi} api
   * @param {object} page onStatus(statusMessage), onImage(), showError(text), say(text), openImage(image),
   *   onActiveChange(count)
   */
  constructor(api, page) {
    this.api = api;
    this.page = page;
    this.container = document.getElementById('results');
    this.emptyNote = document.getElementById('results-empty');
    this.active = new Set();
    this.counter = 0;
  }

  /** Starts a request and streams it into a new run shown first in the results. */
  start(body) {
    const run = new Run(++this.counter, body, this.page);
    this.container.prepend(run.element);
    this.emptyNote.hidden = true;
    this.active.add(run);
    this.page.onActiveChange(this.active.size);
    this.#connect(run, body, true).finally(() => {
      this.active.delete(run);
      this.page.onActiveChange(this.active.size);
    });
    return run;
  }

  /** Stops every waiting and running generation of this page's session. */
  async interrupt() {
    await this.api.call('InterruptAll', { other_sessions: false });
  }

  async #connect(run, body, mayRenewSession) {
    let sessionId;
    try {
      sessionId = await this.api.sessionId();
    } catch (error) {
      const reason = error instanceof NetworkError ? 'The server could not be reached; nothing was started.' : error.message;
      run.end(reason, true);
      this.page.showError(reason);
      return;
    }
    const outcome = await new Promise(resolve => {
      const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
      const socket = new WebSocket(`${scheme}//${location.host}/API/GenerateText2ImageWS`);
      let opened = false;
      let sessionRefused = false;
      socket.addEventListener('open', () => {
        opened = true;
        socket.send(JSON.stringify({ ...body, session_id: sessionId }));
      });
      socket.addEventListener('message', event => {
        let message;
        try {
          message = JSON.parse(event.data);
        } catch (error) {
          return;
        }
        if (message.error_id === 'invalid_session_id' && mayRenewSession) {
          sessionRefused = true;
          return;
        }
        this.#handle(run, message);
      });
      socket.addEventListener('close', event => resolve({ opened, sessionRefused, code: event.code }));
    });
    if (outcome.sessionRefused) {
      // The server restarted and forgot the session: take a new one and ask once more.
      this.api.forgetSession(sessionId);
      await this.#connect(run, body, false);
      return;
    }
    if (outcome.code === NORMAL_CLOSE) {
      run.end(run.errorText, run.errorText !== '' && run.errorText !== INTERRUPTED);
      if (run.imageCount > 0) {
        this.page.onImage();
      }
      return;
    }
    const reason = outcome.opened ? 'The connection to the server was lost before the images were finished.'
      : 'The server could not be reached; nothing was started.';
    this.api.reportConnection(false, 'the generation connection was lost');
    run.end(reason, true);
    this.page.showError(reason);
  }

  #handle(run, message) {
    if (message.status !== undefined) {
      this.page.onStatus(message);
    } else if (message.gen_progress !== undefined) {
      run.progress(message.gen_progress);
    } else if (message.image !== undefined) {
      run.image(message);
    } else if (message.discard_indices !== undefined) {
      run.discard(message.discard_indices);
    } else if (message.error !== undefined) {
      run.errorText = String(message.error);
      if (run.errorText === INTERRUPTED) {
        this.page.say(INTERRUPTED);
      } else {
        this.page.showError(run.errorText);
      }
    }
  }
}

/** One request's images, as a group in the results. */
class Run {
  constructor(number, body, page) {
    this.page = page;
    this.errorText = '';
    this.imageCount = 0;
    this.status = el('p', { class: 'run-status', 'data-role': 'run-status', text: `Started: 0 of ${body.images} made…` });
    this.error = el('p', { class: 'run-error', 'data-role': 'run-error' });
    const prompt = body.prompt ? `“${body.prompt}”` : 'No prompt';
    const count = body.images === 1 ? '1 image' : `${body.images} images`;
    const grid = el('ol', { class: body.images === 1 ? 'slots single' : 'slots' });
    this.element = el('article', { class: 'run', 'data-run': String(number), 'aria-label': `Run ${number}: ${count}` },
      el('header', { class: 'run-head' }, el('h3', { class: 'run-title', text: `${count} · ${prompt}` }), this.status),
      this.error, grid);
    this.slots = [];
    for (let index = 0; index < body.images; index++) {
      const slot = new Slot(index, body, number);
      slot.button.addEventListener('click', () => this.page.openImage({
        src: slot.src, params: slot.params, title: `Image ${index + 1} of run ${number}`, returnFocus: slot.button,
      }));
      this.slots.push(slot);
      grid.append(slot.element);
    }
  }

  progress(update) {
    const slot = this.slots[Number(update.batch_index)];
    if (slot && !slot.finished) {
      slot.progress(Number(update.overall_percent), update.preview);
      setText(this.status, this.#summary('Generating'));
    }
  }

  image(message) {
    const slot = this.slots[Number(message.batch_index)];
    if (slot) {
      slot.done(message.image, imageParams(message.metadata));
      this.imageCount++;
      setText(this.status, this.#summary('Generating'));
    }
  }

  discard(indices) {
    for (const index of indices) {
      this.slots[Number(index)]?.fail('Discarded by the server.');
    }
  }

  /** Ends the run; the reason, when it failed, is shown once for the run (the server sends one per request). */
  end(reason, failed) {
    const interrupted = reason === INTERRUPTED;
    for (const slot of this.slots) {
      if (!slot.finished) {
        slot.fail(interrupted ? 'Interrupted.' : 'Not made.');
      }
    }
    setText(this.error, failed ? reason : '');
    this.element.classList.add(failed ? 'failed' : 'ended');
    const made = `${this.imageCount} of ${this.slots.length} made`;
    setText(this.status, interrupted ? `Interrupted: ${made}.` : failed ? `Failed: ${made}.` : `Done: ${made}.`);
  }

  #summary(verb) {
    return `${verb}: ${this.imageCount} of ${this.slots.length} made…`;
  }
}

/** One image of a run: a frame with the preview or the image, its progress bar and its seed. */
class Slot {
  constructor(index, body, runNumber) {
    this.finished = false;
    this.src = null;
    this.params = null;
    const name = `Image ${index + 1} of ${body.images}`;
    this.img = el('img', { class: 'slot-image', alt: '', hidden: true });
    this.placeholder = el('span', { class: 'slot-placeholder', 'aria-hidden': 'true' });
    this.button = el('button', { type: 'button', class: 'slot-frame', disabled: true, 'aria-label': `${name} (not made yet)` },
      this.placeholder, this.img);
    // The frame has the image's shape from the start, so the grid does not jump as images arrive.
    this.button.style.aspectRatio = `${body.width} / ${body.height}`;
    this.bar = el('progress', { max: '1', value: '0', 'aria-label': `${name} progress` });
    // Until its first progress report an image may be waiting for a backend or just starting: the header's
    // counters tell which; the slot does not guess.
    this.caption = el('span', { class: 'slot-status', 'data-role': 'slot-status', text: 'Pending' });
    this.seed = el('span', { class: 'slot-seed', 'data-role': 'slot-seed' });
    this.name = name;
    this.element = el('li', { class: 'slot', 'data-index': String(index), 'data-run': String(runNumber) },
      this.button, this.bar, el('p', { class: 'slot-caption' }, this.caption, this.seed));
    // A single image is never shown wider than it is, so a small one is not blown up; its bar and caption keep
    // to its width, so they stay under it.
    if (body.images === 1) {
      this.element.style.maxWidth = `${body.width}px`;
    }
  }

  progress(overall, preview) {
    if (Number.isFinite(overall)) {
      this.bar.value = Math.max(Number(this.bar.value), Math.min(1, overall));
      setText(this.caption, `${Math.round(this.bar.value * 100)}%`);
    }
    if (preview) {
      this.img.src = preview;
      this.img.alt = `Preview of ${this.name.toLowerCase()}`;
      this.img.hidden = false;
      this.img.classList.add('preview');
      this.placeholder.hidden = true;
    }
  }

  done(path, params) {
    this.finished = true;
    this.src = imageUrl(path);
    this.params = params;
    this.img.src = this.src;
    this.img.alt = params?.prompt ? `${this.name}: ${params.prompt}` : this.name;
    this.img.hidden = false;
    this.img.classList.remove('preview');
    this.placeholder.hidden = true;
    this.bar.value = 1;
    this.bar.hidden = true;
    this.element.classList.add('done');
    this.button.disabled = false;
    this.button.setAttribute('aria-label', `Open ${this.name.toLowerCase()}`);
    setText(this.caption, 'Done');
    if (params?.seed !== undefined) {
      setText(this.seed, `Seed ${params.seed}`);
    }
  }

  fail(reason) {
    this.finished = true;
    this.bar.hidden = true;
    this.element.classList.add('failed');
    this.button.setAttribute('aria-label', `${this.name}: not made`);
    setText(this.caption, reason);
  }
}
