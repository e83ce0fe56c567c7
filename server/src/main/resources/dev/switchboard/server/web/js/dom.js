// Small helpers to build elements without innerHTML, so text from the server is never parsed as markup.

/**
 * Creates an element.
 * @param {string} tag
 * @param {object} [attributes] attribute name to value; `text` sets textContent; false/null values are skipped
 * @param {...(Node|string)} children
 */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) {
      continue;
    }
    if (name === 'text') {
      element.textContent = value;
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  element.append(...children);
  return element;
}

/** Sets an element's text only when it differs, so unchanged cards cause no layout work. */
export function setText(element, text) {
  if (element.textContent !== text) {
    element.textContent = text;
  }
}

/** A time from the server (ISO-8601 text or milliseconds since 1970) in the reader's locale; '' when there is none. */
export function formatTime(value) {
  if (value === undefined || value === null || value === '') {
    return '';
  }
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? String(value) : time.toLocaleString();
}
