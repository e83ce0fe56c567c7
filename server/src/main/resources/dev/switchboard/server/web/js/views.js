// The page's three views, chosen by the address's fragment (#generate, #gallery, #backends), so a reload or a
// bookmark opens the same one and the browser's back button moves between them.

const VIEWS = ['generate', 'gallery', 'backends'];
const TITLES = { generate: 'Generate', gallery: 'Gallery', backends: 'Backends' };

export class Views {
  /** @param {function(string): void} onShow told the view's name each time one is shown */
  constructor(onShow) {
    this.onShow = onShow;
    this.current = null;
    window.addEventListener('hashchange', () => this.#show(this.#fromHash()));
    this.#show(this.#fromHash());
  }

  /** Shows a view by name at once (so what follows can focus inside it) and records it in the address. */
  go(name) {
    this.#show(name);
    if (location.hash !== `#${name}`) {
      history.pushState(null, '', `#${name}`);
    }
  }

  #fromHash() {
    const name = location.hash.slice(1);
    return VIEWS.includes(name) ? name : 'generate';
  }

  #show(name) {
    for (const view of VIEWS) {
      document.getElementById(`view-${view}`).hidden = view !== name;
      const link = document.getElementById(`nav-${view}`);
      if (view === name) {
        link.setAttribute('aria-current', 'page');
      } else {
        link.removeAttribute('aria-current');
      }
    }
    document.title = `${TITLES[name]} · Switchboard`;
    this.current = name;
    this.onShow(name);
  }
}
