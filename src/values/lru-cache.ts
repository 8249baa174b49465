/** A map of at most `limit` entries, which evicts the least recently used entry to make room. */
export class LruCache<V> {
  readonly #entries = new Map<string, V>();
  readonly #limit: number;

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Returns the value of `key`, or undefined, and marks the entry as the most recently used. */
  get(key: string): V | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined) {
      // Re-inserting moves the entry to the end, so the first key is the least recently used.
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }

    return value;
  }

  set(key: string, value: V): void {
    if (!this.#entries.has(key) && this.#entries.size >= this.#limit) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) {
        this.#entries.delete(oldest.value);
      }
    }

    this.#entries.set(key, value);
  }
}
