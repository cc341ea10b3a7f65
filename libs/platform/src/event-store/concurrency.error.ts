/**
 * Someone else appended to the stream since it was read: `expectedVersion` is stale.
 * Reload and decide again (CommandRunner does), or report a 409.
 */
export class ConcurrencyError extends Error {
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
  ) {
    super(`stream ${streamId} is no longer at version ${expectedVersion}`);
    this.name = 'ConcurrencyError';
  }
}
