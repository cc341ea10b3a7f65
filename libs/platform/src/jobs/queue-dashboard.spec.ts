import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEV_API_KEYS } from '../config';
import { dashboardAuth } from './queue-dashboard';

function call(authorization?: string) {
  const headers: Record<string, string> = {};
  const response = { statusCode: 200, body: '', setHeader: (name: string, value: string) => void (headers[name.toLowerCase()] = value), end: (body: string) => void (response.body = body) };
  let passed = false;
  dashboardAuth(DEV_API_KEYS, ['admin'])({ headers: authorization ? { authorization } : {} } as IncomingMessage, response as unknown as ServerResponse, () => {
    passed = true;
  });
  return { passed, status: response.statusCode, headers, body: response.body ? JSON.parse(response.body) : undefined };
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('dashboardAuth', () => {
  it('lets an admin key through as Bearer or as the Basic password', () => {
    expect(call('Bearer dev-admin').passed).toBe(true);
    expect(call(basic('ops', 'dev-admin')).passed).toBe(true);
  });

  it('answers 401 with a Basic challenge when the key is missing or unknown', () => {
    for (const header of [undefined, 'Bearer nope', basic('ops', '')]) {
      const result = call(header);
      expect(result.passed).toBe(false);
      expect(result.status).toBe(401);
      expect(result.headers['www-authenticate']).toContain('Basic');
      expect(result.headers['content-type']).toBe('application/problem+json');
    }
  });

  it('answers 403 to a known key whose role may not see the dashboard', () => {
    const result = call('Bearer dev-agent');
    expect(result).toMatchObject({ passed: false, status: 403, body: { status: 403 } });
  });
});
