export * from './common.ts';
export * from './rubric.ts';
export * from './taxonomy.ts';
export * from './task.ts';
export * from './bundle.ts';
export * from './annotation.ts';
export * from './adjudication.ts';
export * from './batch.ts';
