// Preloaded (`node -r`) into a service a bench profiles with `--cpu-prof`: node writes the profile
// only when the process exits by itself, but Nest's shutdown hooks end with the signal sent again
// to the process, which kills it before the profile is written. This listener lets Nest's run
// first (it does nothing while another listener is there) and turns the repeated signal into
// process.exit, so the profile gets written.
'use strict';

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    if (process.listenerCount(signal) > 1) return;
    process.exit(0);
  });
}
