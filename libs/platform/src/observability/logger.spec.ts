import { createLogger } from './logger';
import { runWithContext } from './request-context';
import { capturedLog } from '@continuum/testing';

describe('createLogger', () => {
  it('puts the service on every line and the correlation id inside a context', async () => {
    const { lines, stream } = capturedLog();
    const logger = createLogger('orders', 'info', stream);
    logger.info('outside');
    await runWithContext({ correlationId: 'corr-1' }, async () => {
      await Promise.resolve();
      logger.info({ orderId: 'o-1' }, 'inside');
    });
    expect(lines).toEqual([
      expect.objectContaining({ service: 'orders', msg: 'outside', level: 'info' }),
      expect.objectContaining({ service: 'orders', msg: 'inside', orderId: 'o-1', correlationId: 'corr-1' }),
    ]);
    expect(lines[0]).not.toHaveProperty('correlationId');
  });

  it('drops lines below the level', () => {
    const { lines, stream } = capturedLog();
    const logger = createLogger('orders', 'warn', stream);
    logger.info('hidden');
    logger.warn('shown');
    expect(lines.map((line) => line['msg'])).toEqual(['shown']);
  });

  it('never writes a card number or cvv: redacted by path, and quoted in an error message', () => {
    const { lines, stream } = capturedLog();
    const logger = createLogger('orders', 'info', stream);
    logger.info({ body: { card: { number: '4111111111111111', cvv: '123', last4: '1111' } }, cvv: '456' }, 'request');
    logger.error({ err: new Error('gateway refused 4000000000000002') }, 'failed');
    const text = JSON.stringify(lines);
    expect(text).not.toMatch(/4111111111111111|4000000000000002|"123"|"456"/);
    expect(lines[0]).toMatchObject({ body: { card: { number: '[REDACTED]', cvv: '[REDACTED]', last4: '1111' } }, cvv: '[REDACTED]' });
    expect(lines[1]).toMatchObject({ err: { message: 'gateway refused [REDACTED]', type: 'Error' } });
  });

  it('never writes a credential: Authorization, X-Api-Key and Cookie headers of a logged request are redacted', () => {
    const { lines, stream } = capturedLog();
    const logger = createLogger('orders', 'info', stream);
    const headers = { authorization: 'Bearer key-alice', 'x-api-key': 'key-bob', cookie: 'session=s1', accept: 'application/json' };
    logger.info({ req: { method: 'GET', headers } }, 'request');
    logger.info({ headers }, 'headers');
    expect(JSON.stringify(lines)).not.toMatch(/key-alice|key-bob|session=s1/);
    const redacted = { authorization: '[REDACTED]', 'x-api-key': '[REDACTED]', cookie: '[REDACTED]', accept: 'application/json' };
    expect(lines[0]).toMatchObject({ req: { headers: redacted } });
    expect(lines[1]).toMatchObject({ headers: redacted });
  });
});
