import { isUtf8 } from 'node:buffer';
import { Task, type Taxonomy } from '../../domain/index.ts';
import { compileAcceptor } from '../../domain/accepts.ts';
import { problemsFromZod, type Problem } from './problems.ts';

export const TASKS_FILE = 'tasks.jsonl';

export interface CheckedTask {
  task: Task;
  /** The line exactly as stored in the bundle (UTF-8, BOM-free). */
  json: string;
  /** The line's bytes (BOM removed); a view into the caller's buffer. */
  bytes: Buffer;
}

/** zod's answer for the common case, without zod's cost (see accepts.ts); zod still words every problem. */
const taskAcceptor = compileAcceptor(Task);

export type LineResult = { ok: true; value: CheckedTask } | { ok: false; problems: Problem[] } | { ok: 'blank' };

/**
 * Everything a task line must satisfy, in one place so that `bundle build` (which reports
 * every problem) and import (which refuses at the first) can never disagree: strict UTF-8,
 * JSON without prototype-polluting keys, the Task schema, a unique id, and references that
 * resolve against the bundle's taxonomy. Stateful: it remembers ids seen so far.
 */
export class TaskChecker {
  private readonly seen = new Map<string, number>();
  private readonly tags: ReadonlySet<string> | null;

  /**
   * Without a taxonomy (it failed to parse during a build) references are not checked.
   * `file` names the input in problems: tasks.jsonl, or the CSV/JSONL file a build maps from.
   */
  constructor(
    taxonomy: Taxonomy | null,
    private readonly file: string = TASKS_FILE,
  ) {
    this.tags = taxonomy ? new Set(taxonomy.tags) : null;
  }

  check(lineBytes: Buffer, line: number): LineResult {
    const bytes = line === 1 && lineBytes[0] === 0xef && lineBytes[1] === 0xbb && lineBytes[2] === 0xbf ? lineBytes.subarray(3) : lineBytes;
    const problem = (message: string, field?: string): LineResult => ({ ok: false, problems: [{ file: this.file, line, ...(field ? { field } : {}), message }] });
    // isUtf8 + toString is several times faster than a fatal TextDecoder and just as strict.
    if (!isUtf8(bytes)) return problem('is not valid UTF-8');
    const json = bytes.toString('utf8');
    if (json.trim() === '') return { ok: 'blank' };
    let raw: unknown;
    try {
      raw = JSON.parse(json);
    } catch (e) {
      return problem(`invalid JSON (${(e as Error).message})`);
    }
    // The cheap substring test keeps the slow exact check off the hot path.
    if (json.includes('"__proto__"') && hasProtoKey(json)) return problem('uses the key "__proto__", which is not allowed', '__proto__');
    let task: Task;
    if (taskAcceptor.accepts(raw)) task = raw as Task;
    else {
      const r = Task.safeParse(raw);
      if (!r.success) {
        const id = typeof raw === 'object' && raw !== null && 'id' in raw ? String((raw as { id: unknown }).id) : '';
        return { ok: false, problems: problemsFromZod(this.file, r.error, line, id ? `task ${id}` : '') };
      }
      task = r.data;
    }
    const first = this.seen.get(task.id);
    if (first !== undefined) return problem(`duplicate task id "${task.id}" (first on line ${first})`, 'id');
    this.seen.set(task.id, line);
    const refs = this.references(task, line);
    if (refs.length > 0) return { ok: false, problems: refs };
    return { ok: true, value: { task, json, bytes } };
  }

  get count(): number {
    return this.seen.size;
  }

  private references(task: Task, line: number): Problem[] {
    const out: Problem[] = [];
    if (!this.tags) return out;
    const tags = this.tags;
    (task.tags ?? []).forEach((tag, i) => {
      if (!tags.has(tag)) out.push({ file: this.file, line, field: `task ${task.id}.tags[${i}]`, message: `"${tag}" is not a tag in taxonomy.json` });
    });
    return out;
  }
}

function hasProtoKey(json: string): boolean {
  let found = false;
  JSON.parse(json, (key, value: unknown) => {
    if (key === '__proto__') found = true;
    return value;
  });
  return found;
}
