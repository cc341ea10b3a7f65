import { jobId } from './queues';

describe('jobId', () => {
  it('joins its parts without the colon BullMQ reserves', () => {
    expect(jobId('refund-retry', 'r:1', 2)).toBe('refund-retry__r_1__2');
    expect(jobId('charge', 'o-1-charge-1')).not.toContain(':');
  });

  it('tells different parts apart, so two different jobs never share an id', () => {
    expect(jobId('a', 1)).not.toBe(jobId('a', 2));
    // a colon inside a part must not move the boundary between parts
    expect(jobId('a:b', 'c')).not.toBe(jobId('a', 'b:c'));
  });
});
