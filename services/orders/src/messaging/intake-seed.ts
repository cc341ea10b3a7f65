/**
 * The id seed of an intake order. A clientOrderId is unique only within its sending service, so the
 * seed is scoped by `source` (absent: `intake`); two services reusing one clientOrderId get two orders.
 * The parts are JSON-encoded, not joined with ':', so no source/clientOrderId pair can spell another
 * pair's seed ("a:b" + "c" and "a" + "b:c" stay apart).
 *
 *   intakeSeed('lander', 'c-1') // 'intake:["lander","c-1"]'
 */
export const intakeSeed = (source: string | undefined, clientOrderId: string): string => `intake:${JSON.stringify([source ?? 'intake', clientOrderId])}`;
