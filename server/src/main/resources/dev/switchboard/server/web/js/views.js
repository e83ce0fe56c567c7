// The page's views, chosen by the address's fragment (#generate, #gallery, #backends, and with accounts #users,
// #audit, #account), so a reload or a bookmark opens the same one and the browser's back button moves between them.
// A view the session may not use is never shown: the first one it may use is shown instead.

const VIEWS = ['generate', 'gallery', 'backends', 'users', 'audit', 'account'];
const TITLES = {
  generate: 'Generate', gallery: 'Gallery', backends: 'Backends', users: 'Users', audit: 'Audit log', account: 'My account',
};

export class Views {
  /**
   * @param {function(string): void} onShow told the view's name each time one is shown
   * @param {function(string): boolean} available whether the session may use a view
   */
  constructor(onShow, available) {
    this.onShow = onShow;
    this.available = available;
    this.current = null;
    window.addEventListener('hashchange', () => this.#show(this.#fromHash()));
    this.#show(this.#fromHash());
  }

  /** Shows the address's view again, e.g. once the session (and what it may use) is known. */
  recheck() {
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
    if (VIEWS.includes(name) && this.available(name)) {
      return name;
    }
    return VIEWS.find(view => this.available(view)) ?? null;
  }

  /** Shows one view (none when null: the session may use none). */
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
    this.current = name;
    if (name !== null) {
      document.title = `${TITLES[name]} · Switchboard`;
      this.onShow(name);
    }
  }
}
