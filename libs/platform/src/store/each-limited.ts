/**
 * Runs `work` on every item with at most `limit` calls in flight, and answers the results in the
 * items' order: store round trips side by side without flooding the store. After a failure no new
 * item is started, and every call already started settles before the first failure is thrown, so
 * nothing of a failed step is still writing when the caller retries it or goes on.
 */
export async function eachLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const answers = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (next < items.length && !failure) {
      const at = next++;
      try {
        answers[at] = await work(items[at]!);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  if (failure) throw failure.error;
  return answers;
}
