/**
 * A validated DTO as plain data. DTO classes define every declared field (ES2022 class fields),
 * so absent optional fields would travel as `undefined` into commands, events and MongoDB.
 */
export function plainBody<T extends object>(dto: T): T {
  return JSON.parse(JSON.stringify(dto)) as T;
}
