import type { z } from 'zod';
import { util, type $ZodCheck, type $ZodType, type $ZodTypeDef } from 'zod/v4/core';

/**
 * A fast yes/no answer to "would this zod schema accept this value?", for hot paths that
 * validate hundreds of thousands of records (bundle import) where zod's own parse, which
 * builds a fresh copy of every value and every issue, is the largest single cost.
 *
 * It is an accept test, not a validator: `true` means zod would accept the value unchanged;
 * `false` means "ask zod", which then gives the problems in its own words. It walks the same
 * schema objects zod does, and runs every refinement and length, pattern or size check through
 * zod's own check code, so the schemas stay the one definition of what is valid. Any schema
 * part it does not understand (transforms, defaults, pipes, coercion...) is handed to zod's
 * `safeParse` for that part, which is always right, only slower; `fallbacks` names those parts
 * so a test can insist that the hot schemas have none.
 */
export interface Acceptor {
  accepts(value: unknown): boolean;
  /** Schema types answered by zod's full parse instead of the fast walk. */
  readonly fallbacks: readonly string[];
}

type Test = (value: unknown) => boolean;

export function compileAcceptor(schema: z.ZodType): Acceptor {
  const fallbacks = new Set<string>();
  const compiled = new Map<$ZodType, Test>();

  const compile = (s: $ZodType): Test => {
    const known = compiled.get(s);
    if (known) return known;
    // Recursive schemas (z.lazy) refer back to themselves: register a forwarder before
    // compiling the body, then point it at the real test.
    let body: Test = () => false;
    const forward: Test = (v) => body(v);
    compiled.set(s, forward);
    const typeTest = compileType(s._zod.def, s);
    const checks = s._zod.def.checks ?? [];
    const checkTest = compileChecks(checks);
    body = checkTest ? (v) => typeTest(v) && checkTest(v) : typeTest;
    return forward;
  };

  const viaZod = (s: $ZodType, type: string): Test => {
    fallbacks.add(type);
    const zs = s as unknown as z.ZodType;
    // zod's answer, and only when it would also leave the value unchanged (no transform).
    return (v) => {
      const r = zs.safeParse(v);
      return r.success && r.data === v;
    };
  };

  const compileType = (def: $ZodTypeDef, s: $ZodType): Test => {
    const d = def as unknown as Record<string, unknown> & { type: string };
    if (d['coerce']) return viaZod(s, `${d.type} (coerced)`);
    switch (d.type) {
      case 'string':
        return (v) => typeof v === 'string';
      case 'number':
        return (v) => typeof v === 'number' && Number.isFinite(v);
      case 'boolean':
        return (v) => typeof v === 'boolean';
      case 'null':
        return (v) => v === null;
      case 'never':
        return () => false;
      case 'literal':
      case 'enum': {
        const values = s._zod.values;
        if (!values) return viaZod(s, d.type);
        return (v) => values.has(v as never);
      }
      case 'optional': {
        const inner = compile(d['innerType'] as $ZodType);
        return (v) => v === undefined || inner(v);
      }
      case 'nullable': {
        const inner = compile(d['innerType'] as $ZodType);
        return (v) => v === null || inner(v);
      }
      case 'lazy': {
        const getter = d['getter'] as () => $ZodType;
        let inner: Test | null = null;
        return (v) => (inner ??= compile(getter()))(v);
      }
      case 'union': {
        const options = (d['options'] as $ZodType[]).map(compile);
        return (v) => options.some((o) => o(v));
      }
      case 'array': {
        const element = compile(d['element'] as $ZodType);
        return (v) => Array.isArray(v) && v.every((e) => element(e));
      }
      case 'object':
        return compileObject(d['shape'] as Record<string, $ZodType>, d['catchall'] as $ZodType | undefined);
      case 'record': {
        const keyType = d['keyType'] as $ZodType;
        // An enumerated key type makes zod check for every listed key; leave that to zod.
        if (keyType._zod.values) return viaZod(s, 'record (enumerated keys)');
        const key = compile(keyType);
        const value = compile(d['valueType'] as $ZodType);
        return (v) => {
          if (!util.isPlainObject(v)) return false;
          for (const k of Reflect.ownKeys(v)) {
            // zod skips an own "__proto__" key in records; callers refuse such input separately.
            if (k === '__proto__') continue;
            if (!key(k) || !value((v as Record<PropertyKey, unknown>)[k])) return false;
          }
          return true;
        };
      }
      default:
        return viaZod(s, d.type);
    }
  };

  const compileObject = (shape: Record<string, $ZodType>, catchall: $ZodType | undefined): Test => {
    const entries = Object.entries(shape).map(([k, t]) => [k, compile(t)] as const);
    const strict = catchall?._zod.def.type === 'never';
    const extra = catchall && !strict ? compile(catchall) : null;
    return (v) => {
      if (!util.isObject(v)) return false;
      const o = v as Record<string, unknown>;
      for (const [k, test] of entries) if (!test(o[k])) return false;
      if (!strict && !extra) return true;
      for (const k in o) {
        if (Object.hasOwn(shape, k)) continue;
        if (strict || !extra!(o[k])) return false;
      }
      return true;
    };
  };

  const test = compile(schema as unknown as $ZodType);
  return { accepts: test, fallbacks: [...fallbacks] };
}

type Sized = { length: number };

/**
 * The common built-in checks are read from their definitions (a length bound, a pattern);
 * anything else, refinements included, runs through zod's own check code.
 */
function compileChecks(checks: readonly $ZodCheck[]): Test | null {
  if (checks.length === 0) return null;
  const tests: Test[] = [];
  const others: $ZodCheck[] = [];
  for (const ch of checks) {
    const def = ch._zod.def as unknown as Record<string, unknown> & { check: string };
    if (def.check === 'min_length') {
      const min = def['minimum'] as number;
      tests.push((v) => (v as Sized).length >= min);
    } else if (def.check === 'max_length') {
      const max = def['maximum'] as number;
      tests.push((v) => (v as Sized).length <= max);
    } else if (def.check === 'string_format' && def['format'] === 'regex') {
      const pattern = def['pattern'] as RegExp;
      tests.push((v) => {
        pattern.lastIndex = 0;
        return pattern.test(v as string);
      });
    } else others.push(ch);
  }
  if (others.length > 0) tests.push((v) => passesChecks(others, v));
  if (tests.length === 1) return tests[0]!;
  return (v) => {
    for (const t of tests) if (!t(v)) return false;
    return true;
  };
}

/** Runs zod's own checks on a value of the right type. */
function passesChecks(checks: readonly $ZodCheck[], value: unknown): boolean {
  const payload = { value, issues: [] as unknown[] };
  for (const ch of checks) {
    const when = ch._zod.def.when;
    if (when && !when(payload as never)) continue;
    const r = ch._zod.check(payload as never) as unknown;
    if (r instanceof Promise) return false;
    if (payload.issues.length > 0) return false;
  }
  return true;
}
