import { jobId } from './queues';

describe('jobId', () => {
  it('is deterministic and free of the colon BullMQ reserves', () => {
    expect(jobId('refund-retry', 'r:1', 2)).toBe('refund-retry__r_1__2');
    expect(jobId('refund-retry', 'r:1', 2)).toBe(jobId('refund-retry', 'r:1', 2));
    expect(jobId('a', 1)).not.toBe(jobId('a', 2));
  });
});
