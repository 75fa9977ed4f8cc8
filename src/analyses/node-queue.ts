// Layer 3 (analyses): a FIFO of node ordinals in a growable ring. A breadth-first search holds one or two levels at
// a time, usually a small part of the heap, so a ring sized to what is queued (not to the node count) saves a
// node array while the load's other phases hold theirs.

export class NodeQueue {
  private ring: Uint32Array;
  private head = 0;
  private count = 0;

  constructor(initialCapacity = 1 << 16) {
    this.ring = new Uint32Array(Math.max(16, initialCapacity));
  }

  get size(): number {
    return this.count;
  }

  push(node: number): void {
    if (this.count === this.ring.length) this.grow();
    let at = this.head + this.count;
    if (at >= this.ring.length) at -= this.ring.length;
    this.ring[at] = node;
    this.count++;
  }

  /** The oldest node; call only when size > 0. */
  shift(): number {
    const node = this.ring[this.head]!;
    this.head++;
    if (this.head === this.ring.length) this.head = 0;
    this.count--;
    return node;
  }

  private grow(): void {
    const old = this.ring;
    const grown = new Uint32Array(old.length * 2);
    // Unwrap: the oldest entry goes first.
    grown.set(old.subarray(this.head));
    grown.set(old.subarray(0, this.head), old.length - this.head);
    this.ring = grown;
    this.head = 0;
  }
}
