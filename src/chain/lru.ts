/**
 * A bounded least-recently-used map on Map's insertion order (a hit moves the entry to the
 * end; the oldest is evicted first). Small enough not to warrant a dependency.
 */
export class Lru<K, V> {
  readonly #map = new Map<K, V>();
  /**
   * The key at the end of the order. A hit on it needs no move: a server whose clients share
   * one intermediate hits the same entry on every handshake, and the delete + set of a move
   * is then pure overhead.
   */
  #newest: K | undefined;

  constructor(readonly capacity: number) {}

  get(key: K): V | undefined {
    const value = this.#map.get(key);
    if (value !== undefined && key !== this.#newest) {
      this.#map.delete(key);
      this.#map.set(key, value);
      this.#newest = key;
    }
    return value;
  }

  set(key: K, value: V): void {
    this.#map.delete(key);
    this.#map.set(key, value);
    this.#newest = key;
    if (this.#map.size > this.capacity) {
      const oldest = this.#map.keys().next();
      if (!oldest.done) this.#map.delete(oldest.value);
    }
  }

  clear(): void {
    this.#map.clear();
    this.#newest = undefined;
  }

  get size(): number {
    return this.#map.size;
  }
}
