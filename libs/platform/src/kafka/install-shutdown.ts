export type Closer = () => Promise<void> | void;

export interface ShutdownOptions {
  readonly signals?: NodeJS.Signals[];
  /** called when a closer fails; the others still run */
  readonly onError?: (error: unknown) => void;
  /** what to do once everything is closed; defaults to ending the process with code 0 */
  readonly exit?: () => void;
}

/**
 * Runs the closers one after another (in the order given: stop consuming before closing the
 * connections the handlers use) on the first SIGTERM or SIGINT; further signals are ignored.
 * Returns a function that removes the signal listeners and runs the same shutdown.
 */
export function installShutdown(...closers: Closer[]): () => Promise<void> {
  return installShutdownWith({}, ...closers);
}

/** installShutdown with options (signals, error reporting, what happens after). */
export function installShutdownWith(options: ShutdownOptions, ...closers: Closer[]): () => Promise<void> {
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  let running: Promise<void> | undefined;

  const shutdown = (): Promise<void> => {
    running ??= (async () => {
      for (const signal of signals) process.removeListener(signal, onSignal);
      for (const close of closers) {
        try {
          await close();
        } catch (error) {
          (options.onError ?? ((e) => console.error('shutdown step failed', e)))(error);
        }
      }
    })();
    return running;
  };

  function onSignal(): void {
    void shutdown().then(options.exit ?? (() => process.exit(0)));
  }

  for (const signal of signals) process.once(signal, onSignal);
  return shutdown;
}
