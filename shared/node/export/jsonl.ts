import { createHash, type Hash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';

/** What a written file is, as the manifest records it. */
export interface WrittenFile {
  path: string;
  rows: number;
  size: number;
  sha256: string;
}

const CHUNK = 1 << 20;

/**
 * A JSONL file written line by line. Lines are encoded straight into one 1 MiB buffer, which
 * is hashed and written (awaited) when full before more lines are taken: memory stays flat and
 * a slow disk slows the producer down instead of filling memory. The file is created
 * exclusively and its SHA-256 and size are those of the bytes written. It is not fsynced: an
 * export is derived data, made again from the store at will, and a file cut short by a crash
 * fails verification against the signed manifest.
 */
export class JsonlWriter {
  // Two buffers: one fills while the other is on its way to disk, so encoding and writing overlap.
  private readonly buffers = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
  private buffer = this.buffers[0]!;
  private used = 0;
  private inflight: Promise<void> | null = null;
  private readonly hash: Hash = createHash('sha256');
  private size = 0;
  private rows = 0;

  private constructor(
    readonly path: string,
    private readonly file: FileHandle,
  ) {}

  static async create(path: string): Promise<JsonlWriter> {
    return new JsonlWriter(path, await open(path, 'wx'));
  }

  /** Adds one line; returns a promise only when a chunk goes to disk (await it: that is the backpressure). */
  write(value: unknown): Promise<void> | undefined {
    return this.writeLine(JSON.stringify(value));
  }

  writeLine(json: string): Promise<void> | undefined {
    this.rows++;
    // A UTF-16 code unit takes at most 3 UTF-8 bytes: check the room before encoding.
    const worst = json.length * 3 + 1;
    if (worst <= this.buffer.length - this.used) {
      this.used += this.buffer.write(json, this.used, 'utf8');
      this.buffer[this.used++] = 0x0a;
      return this.used >= CHUNK - 64 * 1024 ? this.flush() : undefined;
    }
    return this.spill(json);
  }

  private async spill(json: string): Promise<void> {
    await this.flush();
    if (json.length * 3 + 1 <= this.buffer.length) {
      this.used += this.buffer.write(json, 0, 'utf8');
      this.buffer[this.used++] = 0x0a;
      return;
    }
    // A line longer than the buffer goes out on its own.
    await this.put(Buffer.from(json + '\n', 'utf8'));
  }

  private async flush(): Promise<void> {
    if (this.used === 0) return;
    const bytes = this.buffer.subarray(0, this.used);
    this.buffer = this.buffer === this.buffers[0] ? this.buffers[1]! : this.buffers[0]!;
    this.used = 0;
    await this.put(bytes);
  }

  /** Starts writing `bytes` once the previous write is done; returns when that previous write is. */
  private async put(bytes: Buffer): Promise<void> {
    this.hash.update(bytes);
    this.size += bytes.length;
    const previous = this.inflight;
    const next = (async () => {
      await previous;
      let off = 0;
      while (off < bytes.length) off += (await this.file.write(bytes, off, bytes.length - off)).bytesWritten;
    })();
    // A failed write surfaces at the next put or at close; never as an unhandled rejection.
    next.catch(() => undefined);
    this.inflight = next;
    await previous;
  }

  async close(): Promise<WrittenFile> {
    try {
      await this.flush();
      await this.inflight;
    } finally {
      await this.file.close();
    }
    return { path: this.path, rows: this.rows, size: this.size, sha256: this.hash.digest('hex') };
  }

  /** Gives up on the file (the caller removes the half-written export). */
  async abort(): Promise<void> {
    await this.file.close().catch(() => undefined);
  }
}
