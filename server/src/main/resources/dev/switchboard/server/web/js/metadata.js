// The parameters the server embeds in each image ({"sui_image_params": {...}}), read back for display and reuse.

/**
 * Reads an image's metadata text (as GenerateText2ImageWS and ListOutputs send it).
 * @param {string|null|undefined} text
 * @returns {object|null} the image parameters by SwarmUI id, or null when there are none to read
 */
export function imageParams(text) {
  if (typeof text !== 'string' || text === '') {
    return null;
  }
  try {
    const parsed = JSON.parse(text);
    const params = parsed?.sui_image_params;
    return params && typeof params === 'object' && !Array.isArray(params) ? params : null;
  } catch (error) {
    return null;
  }
}

// The parameters worth a line of their own, in the order people read them.
const LABELS = [
  ['prompt', 'Prompt'], ['negativeprompt', 'Negative prompt'], ['model', 'Model'], ['seed', 'Seed'],
  ['steps', 'Steps'], ['cfgscale', 'CFG scale'], ['sampler', 'Sampler'], ['scheduler', 'Scheduler'],
];
const SKIPPED = new Set(['width', 'height', 'images', 'donotsave', 'exactbackendid']);

/**
 * The parameters as label/value pairs for a list: the known ones first, the size as one line, then the rest.
 * @param {object} params from imageParams
 * @returns {Array<[string, string]>}
 */
export function describeParams(params) {
  const lines = [];
  for (const [id, label] of LABELS) {
    if (params[id] !== undefined && params[id] !== '') {
      lines.push([label, text(params[id])]);
    }
    if (id === 'model' && params.width !== undefined && params.height !== undefined) {
      lines.push(['Size', `${params.width} × ${params.height}`]);
    }
  }
  const known = new Set(LABELS.map(([id]) => id));
  for (const [id, value] of Object.entries(params)) {
    if (!known.has(id) && !SKIPPED.has(id)) {
      lines.push([id, text(value)]);
    }
  }
  return lines;
}

function text(value) {
  if (Array.isArray(value)) {
    return value.map(text).join(', ');
  }
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}
