export * from './report-buckets';
export * from './report-deltas';
export * from './report-rows';
export * from './report-document';
export * from './report-fold';
export * from './report-batch';
