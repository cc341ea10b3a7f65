import { randomInt, randomUUID } from 'node:crypto';

/**
 * Where an adapter takes what a decider must be given rather than draw itself: a fresh id for
 * something a request without an Idempotency-Key creates, and a random draw (the QA roll). The one
 * place they are made; a spec replaces it (`IdSource` token, `fixedIdSource`) to decide a command
 * with known ids and draws. An id derived from a key (`derivedId`) needs no source.
 */
export interface IdSource {
  /** a fresh id (a UUID) */
  newId(): string;
  /** a number drawn uniformly from [0, 1) */
  draw(): number;
}

/** The Nest token of the service's id source (provided by ServicePlatformModule: `randomIdSource`). */
export const ID_SOURCE = Symbol('ID_SOURCE');

// randomInt takes a range below 2^48
const DRAW_STEPS = 2 ** 47;

/** Random UUIDs and draws from node:crypto. */
export const randomIdSource: IdSource = {
  newId: () => randomUUID(),
  draw: () => randomInt(0, DRAW_STEPS) / DRAW_STEPS,
};

/** An id source that gives `ids` and `draws` in turn (each list starts over when used up): for specs. */
export function fixedIdSource(ids: readonly string[], draws: readonly number[] = [0.5]): IdSource {
  let nextId = 0;
  let nextDraw = 0;
  return {
    newId: () => ids[nextId++ % ids.length]!,
    draw: () => draws[nextDraw++ % draws.length]!,
  };
}
