export * from './export-dataset.ts';
export * from './jsonl.ts';
export * from './manifest.ts';
export * from './parquet.ts';
