// One image shown large with the parameters embedded in it, and "Use these settings" to make more like it.
import { el } from './dom.js';
import { describeParams } from './metadata.js';

export class ImageDialog {
  /** @param {function(object): void} useSettings gets the image's parameters when the user asks to reuse them */
  constructor(useSettings) {
    this.useSettings = useSettings;
    this.dialog = document.getElementById('image-dialog');
    this.title = document.getElementById('image-dialog-title');
    this.image = document.getElementById('image-dialog-img');
    this.list = document.getElementById('image-dialog-params');
    this.note = document.getElementById('image-dialog-note');
    this.useButton = document.getElementById('image-dialog-use');
    this.openLink = document.getElementById('image-dialog-open');
    this.params = null;
    this.returnFocus = null;
    document.getElementById('image-dialog-close').addEventListener('click', () => this.dialog.close());
    this.dialog.addEventListener('close', () => {
      this.image.removeAttribute('src');
      this.returnFocus?.focus();
    });
    this.useButton.addEventListener('click', () => {
      const params = this.params;
      this.returnFocus = null;
      this.dialog.close();
      this.useSettings(params);
    });
  }

  /**
   * @param {{src: string, params: object|null, title: string, returnFocus: HTMLElement}} image
   */
  open(image) {
    this.params = image.params;
    this.returnFocus = image.returnFocus;
    this.title.textContent = image.title;
    this.image.src = image.src;
    this.image.alt = image.params?.prompt ? `Generated from “${image.params.prompt}”` : image.title;
    this.openLink.href = image.src;
    // Browsers do not open data: addresses in a tab; only saved images have one to open.
    this.openLink.hidden = image.src.startsWith('data:');
    const lines = image.params ? describeParams(image.params) : [];
    this.list.replaceChildren(...lines.flatMap(([label, value]) => [el('dt', { text: label }), el('dd', { text: value })]));
    this.note.textContent = image.params ? '' : 'This image carries no parameters to show or reuse.';
    this.useButton.hidden = !image.params;
    this.dialog.showModal();
    (image.params ? this.useButton : document.getElementById('image-dialog-close')).focus();
  }
}

/** The address of a View/ path (or a data URL) for an <img>, each segment escaped. */
export function imageUrl(path) {
  if (path.startsWith('data:')) {
    return path;
  }
  return '/' + path.split('/').map(encodeURIComponent).join('/');
}
