export * from './redis-connection';
export * from './queues';
export * from './mailer';
export * from './sent-emails.store';
export * from './queue-dashboard';
export * from './service-queue';
