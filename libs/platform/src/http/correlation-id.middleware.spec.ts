import { currentContext } from '../observability';
import { PlatformRequest, PlatformResponse } from './platform-request';
import { correlationIdMiddleware, resolveCorrelationId } from './correlation-id.middleware';

describe('resolveCorrelationId', () => {
  const generate = () => 'generated';

  it.each(['abc', 'req-1.2:3_x', 'A'.repeat(128)])('keeps the valid id %s', (id) => {
    expect(resolveCorrelationId(id, generate)).toBe(id);
  });

  it.each([undefined, '', 'A'.repeat(129), 'has space', 'semi;colon', 'line\nbreak', 'ümlaut'])('replaces %p', (id) => {
    expect(resolveCorrelationId(id, generate)).toBe('generated');
  });

  it('generates a uuid by default', () => {
    expect(resolveCorrelationId(undefined)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('correlationIdMiddleware', () => {
  it('echoes the id, attaches the context and runs the rest of the request inside it', () => {
    const headers: Record<string, string> = {};
    const request = { headers: { 'x-correlation-id': 'corr-7' } } as unknown as PlatformRequest;
    const response = { setHeader: (name: string, value: string) => (headers[name] = value) } as unknown as PlatformResponse;
    let seen: string | undefined;
    correlationIdMiddleware(request, response, () => (seen = currentContext()?.correlationId));
    expect(seen).toBe('corr-7');
    expect(headers['X-Correlation-Id']).toBe('corr-7');
    expect(request.platformContext).toEqual({ correlationId: 'corr-7', causationId: null });
  });
});
