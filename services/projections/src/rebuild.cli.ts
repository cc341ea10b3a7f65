/**
 * `npm run rebuild -- <view>`: asks the running projections service to rebuild a view
 * (POST /rebuilds, admin key) and prints its progress until reads switch to the new copy.
 * PROJECTIONS_URL (default http://127.0.0.1:3005) and PROJECTIONS_ADMIN_KEY (default the local
 * stack's dev-admin) say where and as whom.
 */
import { REBUILDABLE_VIEWS } from './rebuilds/rebuilds.service';

async function main(): Promise<number> {
  const view = process.argv[2];
  if (!view || !(REBUILDABLE_VIEWS as readonly string[]).includes(view)) {
    process.stderr.write(`usage: npm run rebuild -- <view>   (view: ${REBUILDABLE_VIEWS.join(', ')})\n`);
    return 2;
  }
  const base = (process.env['PROJECTIONS_URL'] ?? 'http://127.0.0.1:3005').replace(/\/$/, '');
  const headers = { Authorization: `Bearer ${process.env['PROJECTIONS_ADMIN_KEY'] ?? 'dev-admin'}`, 'Content-Type': 'application/json' };
  const started = await fetch(`${base}/rebuilds`, { method: 'POST', headers, body: JSON.stringify({ view }) });
  if (started.status !== 202) {
    process.stderr.write(`POST ${base}/rebuilds answered ${started.status}: ${await started.text()}\n`);
    return 1;
  }
  const { rebuildId } = (await started.json()) as { rebuildId: string };
  process.stdout.write(`rebuild ${rebuildId} of ${view} started\n`);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const answer = await fetch(`${base}/rebuilds/${rebuildId}`, { headers });
    const progress = (await answer.json()) as { status: string; eventsReplayed: number; lag: number | null; error: string | null };
    process.stdout.write(`${new Date().toISOString()} ${progress.status}: ${progress.eventsReplayed} events replayed, lag ${progress.lag ?? '?'}\n`);
    if (progress.status === 'SWITCHED') return 0;
    if (progress.status === 'FAILED') {
      process.stderr.write(`rebuild failed: ${progress.error}\n`);
      return 1;
    }
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`rebuild: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
