export * from './build.ts';
export * from './open.ts';
export * from './problems.ts';
export * from './trust.ts';
export * from './layout.ts';
export * from './task-check.ts';
export * from './mapping.ts';
export * from './inspect.ts';
