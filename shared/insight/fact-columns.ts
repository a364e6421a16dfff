/**
 * The column stores facts are read into: typed arrays grown by doubling while units arrive,
 * cut to length (as views, not copies) when reading is done.
 */
import { NO_CODE } from '../agreement/columns.ts';
import type { Value } from '../agreement/index.ts';
import type { UnitAnnotation } from '../export/unit.ts';
import type { FieldFacts, TrialFacts, WorkFacts } from './facts.ts';
import type { FieldInfo } from './fields.ts';

/** `a` copied into a new array of `length`, the rest filled with `fill`. */
function widen<A extends Int32Array<ArrayBuffer> | Float64Array<ArrayBuffer>>(a: A, length: number, fill = 0): A {
  const b = new (a.constructor as new (n: number) => A)(length);
  if (fill !== 0) b.fill(fill, a.length);
  b.set(a);
  return b;
}

const codes = (n: number): Int32Array<ArrayBuffer> => new Int32Array(n).fill(NO_CODE);

/** A field's columns while units are read. */
export class FieldBuilder {
  n = 0;
  private cap = 256;
  private task = new Int32Array(this.cap);
  private readonly part: string[] = [];
  answered = new Int32Array(this.cap);
  gold = codes(this.cap);
  adjudicated = codes(this.cap);
  columns: Int32Array<ArrayBuffer>[] = [];
  readonly judges = new Map<string, Int32Array<ArrayBuffer>>();
  private readonly dictionary: Value[] = [];
  private readonly codeOf = new Map<Value, number>();
  // Units are only ever added while their task is read: its units are the ones from taskStart on.
  private taskNow = -1;
  private taskStart = 0;
  private nextPart = 0;

  constructor(readonly info: FieldInfo) {}

  code(v: Value): number {
    let c = this.codeOf.get(v);
    if (c === undefined) {
      c = this.dictionary.length;
      this.dictionary.push(v);
      this.codeOf.set(v, c);
    }
    return c;
  }

  /** The unit of task t naming this part, added on first use. */
  unit(t: number, part: string): number {
    if (t !== this.taskNow) {
      this.taskNow = t;
      this.taskStart = this.n;
    } else {
      // Answers list a task's parts (steps, responses) in the same order as a rule: the part
      // after the one found last is tried first, then the task's parts from the start.
      const next = this.nextPart;
      if (next < this.n && this.part[next] === part) return (this.nextPart = next + 1) - 1;
      for (let u = this.taskStart; u < this.n; u++) if (this.part[u] === part) return (this.nextPart = u + 1) - 1;
    }
    if (this.n === this.cap) this.grow();
    const u = this.n++;
    this.task[u] = t;
    this.part.push(part);
    this.nextPart = this.n;
    return u;
  }

  column(c: number): Int32Array {
    while (this.columns.length <= c) this.columns.push(codes(this.cap));
    return this.columns[c]!;
  }

  judge(model: string): Int32Array {
    let j = this.judges.get(model);
    if (!j) this.judges.set(model, (j = codes(this.cap)));
    return j;
  }

  private grow(): void {
    const cap = (this.cap *= 2);
    this.task = widen(this.task, cap);
    this.answered = widen(this.answered, cap);
    this.gold = widen(this.gold, cap, NO_CODE);
    this.adjudicated = widen(this.adjudicated, cap, NO_CODE);
    this.columns = this.columns.map((col) => widen(col, cap, NO_CODE));
    for (const [m, j] of this.judges) this.judges.set(m, widen(j, cap, NO_CODE));
  }

  done(): FieldFacts {
    const n = this.n;
    return {
      info: this.info,
      task: this.task.subarray(0, n),
      part: this.part,
      dictionary: this.dictionary,
      columns: this.columns.map((col) => col.subarray(0, n)),
      answered: this.answered.subarray(0, n),
      gold: this.gold.subarray(0, n),
      adjudicated: this.adjudicated.subarray(0, n),
      judges: new Map([...this.judges].map(([m, j]) => [m, j.subarray(0, n)])),
    };
  }
}

/** Work rows (one per task and annotator) while units are read. */
export class WorkBuilder {
  private n = 0;
  private readonly task = new IntList();
  private readonly coder = new IntList();
  private readonly week = new IntList();
  private readonly batch = new IntList();
  private readonly activeMs = new FloatList();
  readonly weeks: string[] = [];
  readonly batches: string[] = [];
  private readonly weekIndex = new Map<string, number>();
  private readonly batchIndex = new Map<string, Map<number, number>>();
  /** Row by coder then task (−1: none). */
  private of: Int32Array<ArrayBuffer>[] = [];
  private tasks = 1024;

  weekCode(week: string): number {
    let i = this.weekIndex.get(week);
    if (i === undefined) this.weekIndex.set(week, (i = this.weeks.push(week) - 1));
    return i;
  }

  /** "device#seq" (seq zero-padded so it sorts), made once per batch. */
  batchCode(a: UnitAnnotation): number {
    const device = a.batch ? a.batch.deviceId : '';
    const seq = a.batch ? a.batch.seq : -1;
    let bySeq = this.batchIndex.get(device);
    if (!bySeq) this.batchIndex.set(device, (bySeq = new Map()));
    let i = bySeq.get(seq);
    if (i === undefined) bySeq.set(seq, (i = this.batches.push(a.batch ? `${a.batch.deviceId}#${String(a.batch.seq).padStart(9, '0')}` : 'unsealed') - 1));
    return i;
  }

  add(t: number, c: number, week: number, batch: number, activeMs: number): void {
    if (this.tasks <= t) {
      while (this.tasks <= t) this.tasks *= 2;
      this.of = this.of.map((o) => widen(o, this.tasks, -1));
    }
    while (this.of.length <= c) this.of.push(new Int32Array(this.tasks).fill(-1));
    this.task.push(t);
    this.coder.push(c);
    this.week.push(week);
    this.batch.push(batch);
    this.activeMs.push(activeMs);
    this.of[c]![t] = this.n++;
  }

  done(tasks: number): { work: WorkFacts; workOf: Int32Array[] } {
    return {
      work: { task: this.task.done(), coder: this.coder.done(), week: this.week.done(), batch: this.batch.done(), activeMs: this.activeMs.done(), weeks: this.weeks, batches: this.batches },
      workOf: this.of.map((o) => o.subarray(0, tasks)),
    };
  }
}

/** Preference trials while units are read; response lengths are stored once per task. */
export class TrialBuilder {
  private readonly task = new IntList();
  private readonly who = new IntList();
  private readonly displayed = new IntList();
  private readonly chosenPosition = new IntList();
  private readonly chosen = new IntList();
  private readonly lengthAt = new IntList();
  private readonly lengthCount = new IntList();
  private readonly lengths = new FloatList();
  private lengthsUsed = 0;
  private readonly models: string[] = [];
  private readonly modelIndex = new Map<string, number>();
  // Trials arrive task by task: the lengths of the task read last, and where they are stored.
  private lengthsOfTask = -1;
  private lengthsAt = 0;

  /** Where task t's response lengths are stored (stored on its first trial). */
  private lengthsOf(t: number, responses: readonly { readonly content: string }[]): number {
    if (t !== this.lengthsOfTask) {
      this.lengthsOfTask = t;
      this.lengthsAt = this.lengthsUsed;
      for (const r of responses) this.lengths.push(r.content.length);
      this.lengthsUsed += responses.length;
    }
    return this.lengthsAt;
  }

  /** A judge model's index, for `who` in judge trials. */
  model(name: string): number {
    let i = this.modelIndex.get(name);
    if (i === undefined) this.modelIndex.set(name, (i = this.models.push(name) - 1));
    return i;
  }

  /** A trial on task `task`, whose responses (in task order) give the lengths. */
  add(task: number, who: number, displayed: number, chosenPosition: number, chosen: number, responses: readonly { readonly content: string }[]): void {
    this.lengthAt.push(this.lengthsOf(task, responses));
    this.lengthCount.push(responses.length);
    this.task.push(task);
    this.who.push(who);
    this.displayed.push(displayed);
    this.chosenPosition.push(chosenPosition);
    this.chosen.push(chosen);
  }

  done(): TrialFacts {
    return {
      task: this.task.done(),
      who: this.who.done(),
      displayed: this.displayed.done(),
      chosenPosition: this.chosenPosition.done(),
      chosen: this.chosen.done(),
      lengthAt: this.lengthAt.done(),
      lengthCount: this.lengthCount.done(),
      lengths: this.lengths.done(),
      models: this.models,
    };
  }
}

/** A column of numbers grown by doubling, cut to length (a view, not a copy) when done. */
class NumberList<A extends Int32Array<ArrayBuffer> | Float64Array<ArrayBuffer>> {
  private n = 0;

  constructor(private a: A) {}

  push(x: number): void {
    if (this.n === this.a.length) this.a = widen(this.a, this.a.length * 2);
    this.a[this.n++] = x;
  }

  done(): A {
    return this.a.subarray(0, this.n) as A;
  }
}

export class IntList extends NumberList<Int32Array<ArrayBuffer>> {
  constructor() {
    super(new Int32Array(1024));
  }
}

class FloatList extends NumberList<Float64Array<ArrayBuffer>> {
  constructor() {
    super(new Float64Array(1024));
  }
}
