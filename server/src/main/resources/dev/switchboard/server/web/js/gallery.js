// The Gallery view: the user's saved images from ListOutputs, newest first, a page at a time; each opens large.
import { NetworkError } from './api.js';
import { el, setText } from './dom.js';
import { imageUrl } from './image-dialog.js';
import { imageParams } from './metadata.js';

const PAGE_SIZE = 24;

export class Gallery {
  /**
   * @param {import('./api.js').SwarmApi} api
   * @param {function(object): void} openImage shows one image large (see ImageDialog.open)
   */
  constructor(api, openImage) {
    this.api = api;
    this.openImage = openImage;
    this.offset = 0;
    this.total = 0;
    this.signature = '';
    this.grid = document.getElementById('gallery-grid');
    this.range = document.getElementById('gallery-range');
    this.error = document.getElementById('gallery-error');
    this.empty = document.getElementById('gallery-empty');
    this.newer = document.getElementById('gallery-newer');
    this.older = document.getElementById('gallery-older');
    this.newer.addEventListener('click', () => this.#go(Math.max(0, this.offset - PAGE_SIZE), this.newer));
    this.older.addEventListener('click', () => this.#go(this.offset + PAGE_SIZE, this.older));
    this.#updatePager();
  }

  /** Reads the current page again (new images push older ones to later pages). */
  async load() {
    let page;
    try {
      page = await this.api.call('ListOutputs', { path: '', offset: this.offset, limit: PAGE_SIZE });
    } catch (error) {
      setText(this.error, error instanceof NetworkError ? 'The server could not be reached.' : error.message);
      return;
    }
    setText(this.error, '');
    if (page.files.length === 0 && page.total > 0 && this.offset > 0) {
      // Images were removed: the page asked for no longer exists.
      this.offset = Math.max(0, Math.floor((page.total - 1) / PAGE_SIZE) * PAGE_SIZE);
      await this.load();
      return;
    }
    this.total = page.total;
    const signature = JSON.stringify([this.offset, page.total, page.files.map(file => [file.image, file.modified])]);
    if (signature !== this.signature) {
      this.signature = signature;
      this.grid.replaceChildren(...page.files.map((file, index) => this.#tile(file, this.offset + index + 1)));
    }
    this.empty.hidden = page.total > 0;
    setText(this.range, page.total === 0 ? '' : `Showing ${this.offset + 1}–${this.offset + page.files.length} of ${page.total}`);
    this.#updatePager();
  }

  #tile(file, position) {
    const params = imageParams(file.metadata);
    const src = imageUrl(file.image);
    const name = params?.prompt ? `“${params.prompt}”` : file.image.slice(file.image.lastIndexOf('/') + 1);
    const when = new Date(file.modified);
    const img = el('img', { src, alt: '', loading: 'lazy', decoding: 'async' });
    const button = el('button', { type: 'button', class: 'tile', 'aria-label': `Open image ${position}: ${name}`, 'data-image': file.image },
      img);
    const caption = el('span', { class: 'tile-caption' },
      el('span', { class: 'tile-prompt', text: params?.prompt || 'No prompt' }),
      el('time', { datetime: file.modified, text: Number.isNaN(when.getTime()) ? '' : when.toLocaleString() }));
    button.addEventListener('click', () => this.openImage({ src, params, title: `Image ${position} of ${this.total}`, returnFocus: button }));
    return el('li', { class: 'gallery-item' }, button, caption);
  }

  async #go(offset, button) {
    this.offset = offset;
    await this.load();
    if (button.disabled) {
      (this.newer.disabled ? this.older : this.newer).focus();
    }
  }

  #updatePager() {
    this.newer.disabled = this.offset === 0;
    this.older.disabled = this.offset + PAGE_SIZE >= this.total;
  }
}
