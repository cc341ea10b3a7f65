import { ConfigError } from './config-error';

/** The roles an API key can carry; each is also the ActorKind recorded on the events it causes. */
export const API_ROLES = ['agent', 'admin', 'service', 'fulfillment-house'] as const;
export type ApiRole = (typeof API_ROLES)[number];

/** One configured caller: `user` becomes the actor id, `role` the actor kind. */
export interface ApiKey {
  readonly user: string;
  readonly role: ApiRole;
  readonly key: string;
}

/** The documented development keys of the local stack: user = the key, role = the part after `dev-`. */
export const DEV_API_KEYS: readonly ApiKey[] = API_ROLES.map((role) => ({ user: `dev-${role}`, role, key: `dev-${role}` }));

const isRole = (value: string): value is ApiRole => (API_ROLES as readonly string[]).includes(value);

/**
 * Parses `API_KEYS`: comma-separated `user:role:key` entries. The key is everything after the second
 * colon, so keys may themselves contain colons. A malformed entry, an unknown role or a key given
 * twice throws a ConfigError naming API_KEYS (the offending key itself is masked).
 */
export function parseApiKeys(value: string, variable = 'API_KEYS'): ApiKey[] {
  const keys: ApiKey[] = [];
  const seen = new Set<string>();
  for (const entry of value.split(',').map((part) => part.trim())) {
    if (entry === '') continue;
    const first = entry.indexOf(':');
    const second = first < 0 ? -1 : entry.indexOf(':', first + 1);
    const user = first < 0 ? '' : entry.slice(0, first).trim();
    const role = second < 0 ? '' : entry.slice(first + 1, second).trim();
    const key = second < 0 ? '' : entry.slice(second + 1).trim();
    const shown = second < 0 ? mask(entry) : `${user}:${role}:${mask(key)}`;
    if (user === '' || role === '' || key === '') throw new ConfigError(variable, shown, 'each entry must be user:role:key');
    if (!isRole(role)) throw new ConfigError(variable, shown, `unknown role "${role}", expected one of ${API_ROLES.join(', ')}`);
    if (seen.has(key)) throw new ConfigError(variable, shown, `the key of user "${user}" is given twice`);
    seen.add(key);
    keys.push({ user, role, key });
  }
  return keys;
}

/** Keys are secrets: error messages show only their first characters. */
function mask(secret: string): string {
  return secret.length <= 4 ? '***' : `${secret.slice(0, 4)}***`;
}
