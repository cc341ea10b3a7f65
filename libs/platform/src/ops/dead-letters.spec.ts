import { deadLetterId, parseDeadLetterId } from './dead-letters';

describe('dead-letter ids', () => {
  it('are the dead letter record\'s own topic, partition and offset, and read back', () => {
    const id = deadLetterId('it-abc.payments.dlq.v1', 2, '9007199254740993');
    expect(id).toBe('it-abc.payments.dlq.v1:2:9007199254740993');
    expect(parseDeadLetterId(id)).toEqual({ topic: 'it-abc.payments.dlq.v1', partition: 2, offset: '9007199254740993' });
  });

  it.each(['payments.dlq.v1', 'payments.dlq.v1:0', 'payments.dlq.v1:a:1', 'payments.dlq.v1:0:-1', 'pay/ments:0:1', ':0:1', 'payments.dlq.v1:0:1:2'])('refuses %p', (id) => {
    expect(parseDeadLetterId(id)).toBeUndefined();
  });
});
