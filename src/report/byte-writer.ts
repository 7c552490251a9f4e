// Output built as bytes in chunks of about 1 MB (socket rows as JSON: 25 MB
// for 100,000 sockets), each handed to a writer as it fills.

/**
 * Takes a chunk of output; returns true when the chunk is already written out
 * (its memory may be used again), false when the chunk is kept for later.
 */
export type ChunkWriter = (chunk: Uint8Array) => boolean;

const CHUNK = 1 << 20;
const NULL = Buffer.from('null');

/** Appends bytes to a chunk, handing each full chunk to `write`. */
export class ByteWriter {
  private buf = Buffer.allocUnsafe(CHUNK);
  private pos = 0;
  constructor(private readonly write: ChunkWriter) {}

  raw(b: Uint8Array): void {
    const n = b.length;
    if (this.pos + n > this.buf.length) this.next(n);
    if (n > 16) {
      this.buf.set(b, this.pos);
      this.pos += n;
      return;
    }
    // A loop beats TypedArray.set for short pieces.
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) buf[p++] = b[i]!;
    this.pos = p;
  }

  /** Any value, through JSON.stringify (rare fields: otherOwners). */
  json(v: unknown): void {
    this.raw(Buffer.from(JSON.stringify(v), 'utf8'));
  }

  /** `key` and the number, or nothing when the field is absent. */
  numField(key: Uint8Array, n: number | undefined): void {
    if (n === undefined) return;
    this.raw(key);
    this.num(n);
  }

  nullableNum(n: number | null): void {
    if (n === null) this.raw(NULL);
    else this.num(n);
  }

  /** Digits of a whole number up to 2^32 - 1 written directly; anything else as JSON.stringify spells it. */
  num(n: number): void {
    if (n >= 0 && n < 10 && (n | 0) === n) {
      // Queues, uids, retransmits: mostly 0.
      if (this.pos === this.buf.length) this.next(1);
      this.buf[this.pos++] = 48 + n;
      return;
    }
    if (!(n >= 0 && n <= 0xffffffff && n === Math.floor(n))) {
      this.json(n);
      return;
    }
    let digits = 1;
    for (let m = n; m >= 10; m = Math.floor(m / 10)) digits++;
    if (this.pos + digits > this.buf.length) this.next(digits);
    const buf = this.buf;
    let p = this.pos + digits;
    this.pos = p;
    do {
      const q = Math.floor(n / 10);
      buf[--p] = 48 + n - q * 10;
      n = q;
    } while (n > 0);
  }

  flush(): void {
    // Fresh memory costs page faults: keep the chunk when the writer is done with it.
    if (this.pos > 0 && !this.write(this.buf.subarray(0, this.pos))) this.buf = Buffer.allocUnsafe(CHUNK);
    this.pos = 0;
  }

  private next(need: number): void {
    this.flush();
    if (need > this.buf.length) this.buf = Buffer.allocUnsafe(Math.max(need, CHUNK));
  }
}
