import type { Rule } from 'eslint';

/** Types for layers.js (kept in JavaScript so eslint.config.js loads it without a TypeScript loader). */
declare const rule: Rule.RuleModule;
export default rule;
export declare const PACKAGES: Record<'universal' | 'node' | 'electron', string[]>;
export declare const LAYERS: Record<string, { may: { path: string; except: string[] }[]; env: string[]; why: string }>;
export declare function layersTable(): string;
