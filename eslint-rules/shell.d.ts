import type { Rule } from 'eslint';

/** Types for shell.js (kept in JavaScript so eslint.config.js loads it without a TypeScript loader). */
declare const rule: Rule.RuleModule;
export default rule;
