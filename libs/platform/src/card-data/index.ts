export * from './redact-card-data';
