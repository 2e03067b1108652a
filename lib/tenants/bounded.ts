/**
 * Runs `work` over the items of an array or (async) iterable with at most `concurrency` in flight,
 * taking each item only when a worker is free: a generator is never pulled more than
 * `concurrency` items ahead of the finished ones, so a fleet is never held in memory.
 */
export async function forEachBounded<T>(
  items: Iterable<T> | AsyncIterable<T>,
  concurrency: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  const iterator = Symbol.asyncIterator in items ? (items as AsyncIterable<T>)[Symbol.asyncIterator]() : (items as Iterable<T>)[Symbol.iterator]();
  let index = 0;
  let done = false;
  // Pulls are serialised: an async generator must not be asked for two items at once.
  let pulling: Promise<unknown> = Promise.resolve();
  const pull = (): Promise<{ item: T; index: number } | null> => {
    const next = pulling.then(async () => {
      if (done) return null;
      const result = await iterator.next();
      if (result.done) {
        done = true;
        return null;
      }
      return { item: result.value, index: index++ };
    });
    pulling = next.catch(() => undefined);
    return next;
  };
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    try {
      for (let taken = await pull(); taken !== null && !failure; taken = await pull()) await work(taken.item, taken.index);
    } catch (error) {
      // The other workers finish what they hold, then take nothing more.
      failure ??= { error };
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  if (failure) {
    // The iterator stopped mid-way: let a generator run its `finally`.
    if (!done) await Promise.resolve(iterator.return?.()).catch(() => undefined);
    throw failure.error;
  }
}
