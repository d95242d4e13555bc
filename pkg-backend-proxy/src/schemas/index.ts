// The proxy's HTTP contract. The Grafana plugin derives its client types from these (type-only imports).
export * from './common.ts';
export * from './template.ts';
export * from './job.ts';
export * from './schedule.ts';
export * from './catalog.ts';
