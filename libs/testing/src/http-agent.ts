import request from 'supertest';
import type { CardInput, TokenisedCard } from '@continuum/contracts';

/** The development API keys of the local stack, by role (user = key). */
export const devKeys = {
  agent: 'dev-agent',
  admin: 'dev-admin',
  service: 'dev-service',
  'fulfillment-house': 'dev-fulfillment-house',
} as const;

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete' | 'head' | 'options' | 'trace';

/** What supertest can send requests to: an HTTP server (started on demand) or a base URL. */
export type HttpTarget = Parameters<typeof request>[0];

/**
 * Requests to one service with an API key: each call answers a supertest `Test`, so a spec chains
 * `.set(...)` and `.expect(...)` or just awaits the response. The key argument overrides the
 * agent's own for one call; `null` sends no Authorization header.
 */
export interface HttpAgent {
  get(path: string, key?: string | null): request.Test;
  delete(path: string, key?: string | null): request.Test;
  post(path: string, body?: object, key?: string | null): request.Test;
  patch(path: string, body?: object, key?: string | null): request.Test;
  /** the same agent with another default key */
  as(key: string | null): HttpAgent;
  /** a request with the key and nothing else, for what the calls above do not send (another method, a body that is not JSON, no body) */
  raw(method: HttpMethod, path: string, key?: string | null): request.Test;
}

/**
 * An HttpAgent for `target`: a getter of the app's server (called per request, so it may be made
 * before the app starts), or a URL (`http://127.0.0.1:<port>` of a service process).
 *
 *   const http = httpAgent(() => app.getHttpServer());
 *   await http.post('/orders', body).expect(201);
 *   await http.post('/blacklist', entry, devKeys.admin).expect(201);
 *   const orders = httpAgent(fleet.services.orders.url);
 */
export function httpAgent(target: string | (() => HttpTarget), defaultKey: string | null = devKeys.agent): HttpAgent {
  const bare = () => request(typeof target === 'string' ? target : target());
  const withKey = (test: request.Test, key: string | null | undefined): request.Test => {
    const chosen = key === undefined ? defaultKey : key;
    return chosen === null ? test : test.set('Authorization', `Bearer ${chosen}`);
  };
  return {
    get: (path, key) => withKey(bare().get(path), key),
    delete: (path, key) => withKey(bare().delete(path), key),
    post: (path, body = {}, key) => withKey(bare().post(path), key).send(body),
    patch: (path, body = {}, key) => withKey(bare().patch(path), key).send(body),
    as: (key) => httpAgent(target, key),
    raw: (method, path, key) => withKey(bare()[method](path), key),
  };
}

/**
 * Exchanges a card for a vault token at payments' POST /cards, as an internal service does (the
 * agent's key must be a service's): `await tokeniseCard(vaultHttp, testCard())`.
 */
export async function tokeniseCard(vault: HttpAgent, card: CardInput): Promise<TokenisedCard> {
  const answer = await vault.post('/cards', card, devKeys.service);
  if (answer.status !== 201) throw new Error(`POST /cards answered ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body as TokenisedCard;
}
