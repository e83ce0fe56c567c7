// Every backend card, kept in id order; non-real children nested in their parent's card.
import { BackendCard } from './backend-card.js';

export class BackendList {
  /**
   * @param {HTMLElement} container where top-level cards go
   * @param {object} page passed to each card (see BackendCard)
   */
  constructor(container, page) {
    this.container = container;
    this.page = page;
    this.cards = new Map();
  }

  get size() {
    return this.cards.size;
  }

  /** Applies a ListBackends answer: updates known cards, adds new ones, removes vanished ones. */
  apply(views) {
    const seen = new Set();
    for (const view of Object.values(views)) {
      seen.add(view.id);
      this.#upsert(view);
    }
    for (const [id, card] of this.cards) {
      if (!seen.has(id)) {
        this.#removeCard(id, card);
      }
    }
    this.#place();
  }

  /** Shows a backend that was just added (or re-keyed) without waiting for the next poll. */
  show(view) {
    const card = this.#upsert(view);
    this.#place();
    return card;
  }

  /** Drops a card, e.g. after a delete or when its id changed. */
  remove(id) {
    const card = this.cards.get(id);
    if (card) {
      this.#removeCard(id, card);
      this.#place();
    }
  }

  /** Moves a card to a new id after EditBackend re-keyed it. */
  rekey(oldId, card) {
    this.cards.delete(oldId);
    this.cards.set(card.id, card);
    this.#place();
  }

  #upsert(view) {
    let card = this.cards.get(view.id);
    if (card) {
      card.update(view);
    } else {
      card = new BackendCard(view, this.page);
      this.cards.set(view.id, card);
    }
    return card;
  }

  #removeCard(id, card) {
    // Children of a removed parent stay listed by the server until it removes them; keep them visible.
    for (const child of card.childList.querySelectorAll(':scope > .card')) {
      this.container.append(child);
    }
    card.element.remove();
    this.cards.delete(id);
  }

  // Puts every card where it belongs, touching the DOM only for cards that are out of place (no jumps).
  #place() {
    const topLevel = [];
    const childrenOf = new Map();
    for (const card of this.cards.values()) {
      const parent = card.parentId !== undefined ? this.cards.get(card.parentId) : undefined;
      if (parent && parent !== card) {
        if (!childrenOf.has(parent)) {
          childrenOf.set(parent, []);
        }
        childrenOf.get(parent).push(card);
      } else {
        topLevel.push(card);
      }
    }
    arrange(this.container, topLevel);
    for (const card of this.cards.values()) {
      const children = childrenOf.get(card) || [];
      arrange(card.childList, children);
      card.setChildCount(children.length);
    }
  }
}

function arrange(container, cards) {
  cards.sort((a, b) => Math.abs(a.id) - Math.abs(b.id) || a.id - b.id);
  cards.forEach((card, index) => {
    const current = container.children[index];
    if (current !== card.element) {
      container.insertBefore(card.element, current || null);
    }
  });
}
