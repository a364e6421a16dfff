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
 * A JSONL file written line by line. Lines are gathered into chunks of about 1 MiB, each
 * written (and hashed) before more are taken, so memory stays flat and a slow disk slows the
 * producer down instead of filling memory. The file is created exclusively, flushed to disk on
 * close, and its SHA-256 and size come from the bytes actually written.
 */
export class JsonlWriter {
  private pending: string[] = [];
  private pendingLength = 0;
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

  /** Adds one line; returns a promise only when a chunk went to disk (await it: that is the backpressure). */
  write(value: unknown): Promise<void> | undefined {
    return this.writeLine(JSON.stringify(value));
  }

  writeLine(json: string): Promise<void> | undefined {
    this.pending.push(json, '\n');
    this.pendingLength += json.length + 1;
    this.rows++;
    return this.pendingLength >= CHUNK ? this.flush() : undefined;
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const bytes = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.pendingLength = 0;
    this.hash.update(bytes);
    this.size += bytes.length;
    let off = 0;
    while (off < bytes.length) off += (await this.file.write(bytes, off, bytes.length - off)).bytesWritten;
  }

  async close(): Promise<WrittenFile> {
    try {
      await this.flush();
      await this.file.sync();
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
