export * from './export-run.queue';
