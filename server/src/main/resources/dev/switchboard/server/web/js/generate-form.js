// The Generate form: its fields follow ListT2IParams (defaults, ranges, choices), its models ListModels and its
// "Run on" choices ListBackends; values are checked here before anything is sent.
import { el, setText } from './dom.js';

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const LONG_MAX = 2n ** 63n - 1n;
const CUSTOM = 'Custom';
// Sizes from an aspect ratio are multiples of this, like the sizes models are trained at.
const SIZE_STEP = 32;
const NUMBER_FIELDS = ['width', 'height', 'steps', 'cfgscale', 'images', 'seed'];

export class GenerateForm {
  constructor() {
    this.form = document.getElementById('generate-form');
    this.params = new Map();
    this.inputs = new Map();
    for (const input of this.form.querySelectorAll('[data-param]')) {
      this.inputs.set(input.dataset.param, input);
    }
    this.aspect = document.getElementById('gen-aspect');
    this.backend = document.getElementById('gen-backend');
    this.sampling = document.getElementById('gen-sampling');
    this.error = document.getElementById('gen-error');
    this.noBackendNote = document.getElementById('no-backend-note');
    this.configured = false;
    this.aspect.addEventListener('change', () => this.#applyAspect());
    for (const id of ['width', 'height']) {
      this.inputs.get(id).addEventListener('input', () => {
        this.aspect.value = CUSTOM;
      });
    }
    document.getElementById('gen-seed-random').addEventListener('click', () => {
      this.inputs.get('seed').value = '-1';
      this.#showError('seed', '');
    });
    this.backend.append(el('option', { value: '', text: 'Any backend' }));
  }

  /** Takes the parameters' definitions from ListT2IParams; the first time, fills in their defaults. */
  configure(list) {
    this.params = new Map(list.map(param => [param.id, param]));
    const aspect = this.params.get('aspectratio');
    const ratios = aspect?.values?.length ? aspect.values : ['1:1', CUSTOM];
    const chosenRatio = this.aspect.value;
    this.aspect.replaceChildren(...ratios.map(ratio => el('option', { value: ratio, text: ratio })));
    this.aspect.value = chosenRatio || aspect?.default || ratios[0];
    for (const id of ['sampler', 'scheduler']) {
      const select = this.inputs.get(id);
      const chosen = select.value;
      const values = this.params.get(id)?.values || [];
      select.replaceChildren(el('option', { value: '', text: 'Backend default' }),
        ...values.map(value => el('option', { value, text: value })));
      select.value = values.includes(chosen) ? chosen : '';
    }
    if (!this.configured) {
      this.configured = true;
      for (const id of ['prompt', 'negativeprompt', ...NUMBER_FIELDS]) {
        const param = this.params.get(id);
        if (param && this.inputs.get(id).value === '') {
          this.inputs.get(id).value = String(param.default ?? '');
        }
      }
    }
  }

  /** Shows sampler and scheduler only when a backend advertises the feature they need. */
  setFeatures(features) {
    const flag = this.params.get('sampler')?.feature_flag || 'comfyui';
    this.sampling.hidden = !features.includes(flag);
  }

  /** Lists the models (ListModels' files), marking the loaded ones; the choice survives updates. */
  setModels(files) {
    const select = this.inputs.get('model');
    const chosen = select.value;
    const signature = JSON.stringify(files.map(file => [file.name, file.loaded]));
    if (signature !== this.modelSignature) {
      this.modelSignature = signature;
      select.replaceChildren(...files.map(file => el('option', {
        value: file.name, text: file.loaded ? `${file.name} — loaded` : file.name,
      })));
      if (chosen && !files.some(file => file.name === chosen)) {
        select.append(el('option', { value: chosen, text: `${chosen} (not listed now)` }));
      }
      if (chosen) {
        select.value = chosen;
      } else if (files.length > 0) {
        select.value = (files.find(file => file.loaded) || files[0]).name;
      }
    }
    this.noBackendNote.hidden = files.length > 0;
  }

  /** Offers every backend (ListBackends' views) under "Run on"; the choice survives updates. */
  setBackends(views, typeName) {
    const chosen = this.backend.value;
    const options = [el('option', { value: '', text: 'Any backend' })];
    const sorted = Object.values(views).sort((a, b) => Math.abs(a.id) - Math.abs(b.id) || a.id - b.id);
    for (const view of sorted) {
      const title = view.title || typeName(view.type) || view.type;
      options.push(el('option', { value: String(view.id), text: `#${view.id} ${title} (${view.status})` }));
    }
    if (chosen && !sorted.some(view => String(view.id) === chosen)) {
      options.push(el('option', { value: chosen, text: `#${chosen} (gone)` }));
    }
    const signature = options.map(option => option.value + option.textContent).join('\n');
    if (signature !== this.backendSignature) {
      this.backendSignature = signature;
      this.backend.replaceChildren(...options);
      this.backend.value = chosen;
    }
  }

  /**
   * Checks every field and builds the request (without session).
   * @returns {object|null} the GenerateText2ImageWS request, or null when a field is wrong (each is marked)
   */
  read() {
    this.error.textContent = '';
    let valid = true;
    const body = {};
    for (const id of NUMBER_FIELDS) {
      const result = this.#readNumber(id);
      this.#showError(id, result.error || '');
      if (result.error) {
        valid = false;
      } else {
        body[id] = result.value;
      }
    }
    if (!valid) {
      this.error.textContent = 'Please correct the marked fields.';
      this.form.querySelector('[aria-invalid="true"]')?.focus();
      return null;
    }
    body.prompt = this.inputs.get('prompt').value;
    body.negativeprompt = this.inputs.get('negativeprompt').value;
    if (this.inputs.get('model').value) {
      body.model = this.inputs.get('model').value;
    }
    if (!this.sampling.hidden) {
      for (const id of ['sampler', 'scheduler']) {
        if (this.inputs.get(id).value) {
          body[id] = this.inputs.get(id).value;
        }
      }
    }
    if (this.backend.value !== '') {
      body.exactbackendid = this.backend.value;
    }
    return body;
  }

  /** Fills the form from an image's parameters ("use these settings"); returns the fields it set. */
  fill(params) {
    const filled = [];
    for (const id of ['prompt', 'negativeprompt', 'width', 'height', 'steps', 'cfgscale', 'seed']) {
      if (params[id] !== undefined && params[id] !== null) {
        this.inputs.get(id).value = String(params[id]);
        this.#showError(id, '');
        filled.push(id);
      }
    }
    if (params.width !== undefined || params.height !== undefined) {
      this.aspect.value = CUSTOM;
    }
    for (const id of ['model', 'sampler', 'scheduler']) {
      const select = this.inputs.get(id);
      const value = params[id];
      if (typeof value !== 'string' || value === '') {
        if (id !== 'model') {
          select.value = '';
        }
        continue;
      }
      if (![...select.options].some(option => option.value === value)) {
        select.append(el('option', { value, text: `${value} (not listed now)` }));
      }
      select.value = value;
      filled.push(id);
    }
    this.error.textContent = '';
    return filled;
  }

  focus() {
    this.inputs.get('prompt').focus();
  }

  #readNumber(id) {
    const input = this.inputs.get(id);
    const text = input.value.trim();
    const param = this.params.get(id) || {};
    const label = this.form.querySelector(`label[for="${input.id}"]`).textContent;
    if (id === 'seed') {
      const min = BigInt(Math.trunc(param.min ?? -1));
      if (!INTEGER.test(text) || BigInt(text) < min || BigInt(text) > LONG_MAX) {
        return { error: `${label} must be a whole number from ${min} to ${LONG_MAX}.` };
      }
      const seed = BigInt(text);
      // Seeds beyond what a JSON number keeps exactly go as text, which the server reads the same way.
      return { value: seed >= BigInt(Number.MIN_SAFE_INTEGER) && seed <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(seed) : seed.toString() };
    }
    const decimal = param.type === 'decimal';
    const range = param.max > param.min ? ` from ${param.min} to ${param.max}` : '';
    const kind = decimal ? 'a number' : 'a whole number';
    if (!(decimal ? DECIMAL : INTEGER).test(text) || !Number.isFinite(Number(text))) {
      return { error: `${label} must be ${kind}${range}.` };
    }
    const value = Number(text);
    if (param.max > param.min && (value < param.min || value > param.max)) {
      return { error: `${label} must be ${kind}${range}.` };
    }
    return { value };
  }

  #showError(id, message) {
    const input = this.inputs.get(id);
    setText(document.getElementById(`${input.id}-error`), message);
    if (message) {
      input.setAttribute('aria-invalid', 'true');
    } else {
      input.removeAttribute('aria-invalid');
    }
  }

  #applyAspect() {
    const ratio = this.aspect.value.split(':').map(Number);
    if (ratio.length !== 2 || !(ratio[0] > 0 && ratio[1] > 0)) {
      return;
    }
    const width = Number(this.inputs.get('width').value) || 512;
    const height = Number(this.inputs.get('height').value) || 512;
    // Keeps about the same number of pixels, in the new shape.
    const side = Math.sqrt(width * height);
    const scale = Math.sqrt(ratio[0] / ratio[1]);
    const min = this.params.get('width')?.min || 64;
    const round = value => Math.max(min, Math.round(value / SIZE_STEP) * SIZE_STEP);
    this.inputs.get('width').value = String(round(side * scale));
    this.inputs.get('height').value = String(round(side / scale));
    this.#showError('width', '');
    this.#showError('height', '');
  }
}
