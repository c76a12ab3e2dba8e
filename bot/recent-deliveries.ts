/**
 * The last N delivery ids, to ignore redeliveries. A ring of slots plus a map from id to slot:
 * constant time per delivery. (Evicting the oldest key of one big Map costs more and more: V8
 * leaves deleted entries in place until the table is rebuilt, and finding the first live key
 * walks past all of them.)
 */
export class RecentDeliveries {
  readonly #slots: (string | undefined)[];
  readonly #slotOf = new Map<string, number>();
  #next = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`capacity must be ≥ 1, got ${capacity}`);
    this.#slots = new Array<string | undefined>(capacity);
  }

  has(id: string): boolean {
    return this.#slotOf.has(id);
  }

  /** Remembers `id`, forgetting the oldest id once `capacity` are remembered. */
  add(id: string): void {
    const evicted = this.#slots[this.#next];
    // A forgotten and re-added id lives in a newer slot: its old slot must not forget it.
    if (evicted !== undefined && this.#slotOf.get(evicted) === this.#next) this.#slotOf.delete(evicted);
    this.#slots[this.#next] = id;
    this.#slotOf.set(id, this.#next);
    this.#next = (this.#next + 1) % this.#slots.length;
  }

  /** Forgets `id` at once (its handler failed: a redelivery must be processed). */
  forget(id: string): void {
    this.#slotOf.delete(id);
  }

  get size(): number {
    return this.#slotOf.size;
  }
}
