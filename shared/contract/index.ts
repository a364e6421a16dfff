export * from './api.ts';
export * from './errors.ts';
export * from './views.ts';
export * from './events.ts';
export * from './client.ts';
export * from './bridge.ts';
export * from './bundle-views.ts';
export * from './roles.ts';
