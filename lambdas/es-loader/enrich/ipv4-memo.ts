/**
 * A bounded memo of answers per IPv4 address (issue 16's speed goal; enrich/geoip.ts). A flow log names
 * thousands of distinct addresses, each many times; what costs is not the work a hit saves but the reads
 * that miss the CPU cache. A `Map` of 25,000 numbers touches a bucket, an entry chain and then the value;
 * this table keeps the address and the number of its answer side by side in one `Int32Array` (8 bytes per
 * slot, one cache line per probe), and the distinct answers, far fewer than the addresses, in a small
 * dense array that stays in cache.
 *
 * Open addressing with linear probing, at most half full; when full it starts over (memory stays fixed:
 * 512 KiB for 65,536 slots plus the answers).
 */
const SLOT_BITS = 16;
const SLOTS = 1 << SLOT_BITS;
const MASK = SLOTS - 1;
/** Entries before the memo starts over (half the slots: probes stay short). */
export const IPV4_MEMO_ENTRIES = SLOTS >>> 1;

export class Ipv4Memo<T> {
  /** Pairs (address as a signed 32-bit integer, 1 + index of its answer); a 0 in the second word is an empty slot. */
  private readonly slots = new Int32Array(SLOTS * 2);
  /** The distinct answers, each once. */
  private answers: T[] = [];
  private readonly numbers = new Map<T, number>();
  private count = 0;

  /** The answer remembered for address `n` (0..2^32-1), or `undefined` when there is none. */
  get(n: number): T | undefined {
    const key = n | 0;
    const slots = this.slots;
    let i = Math.imul(key, 0x9e3779b1) >>> (32 - SLOT_BITS);
    for (;;) {
      const v = slots[2 * i + 1]!;
      if (v === 0) return undefined;
      if (slots[2 * i] === key) return this.answers[v - 1];
      i = (i + 1) & MASK;
    }
  }

  /** Remembers `answer` for address `n` (not already remembered: call after a `get` that missed). */
  set(n: number, answer: T): void {
    if (this.count >= IPV4_MEMO_ENTRIES) this.clear();
    let number = this.numbers.get(answer);
    if (number === undefined) {
      this.answers.push(answer);
      this.numbers.set(answer, (number = this.answers.length));
    }
    const key = n | 0;
    const slots = this.slots;
    let i = Math.imul(key, 0x9e3779b1) >>> (32 - SLOT_BITS);
    while (slots[2 * i + 1] !== 0) {
      if (slots[2 * i] === key) {
        slots[2 * i + 1] = number;
        return;
      }
      i = (i + 1) & MASK;
    }
    slots[2 * i] = key;
    slots[2 * i + 1] = number;
    this.count++;
  }

  /** Addresses remembered. */
  get size(): number {
    return this.count;
  }

  clear(): void {
    this.slots.fill(0);
    this.answers = [];
    this.numbers.clear();
    this.count = 0;
  }
}
