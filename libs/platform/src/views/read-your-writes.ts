import { EventEnvelope } from '@continuum/contracts';
import { ViewStore } from './view-store';

/** first pause between two looks at the view documents; it doubles up to READ_YOUR_WRITES_MAX_PAUSE_MS */
const FIRST_PAUSE_MS = 5;
const READ_YOUR_WRITES_MAX_PAUSE_MS = 50;

/**
 * Waits until every view shows `events` (each document they go to has applied them, see
 * `ViewStore.shows`), for at most `timeoutMs`; answers whether they do. For an instance whose relay
 * does not hold the lease: the holder applies the commit to the views, and this one looks at the
 * documents' versions (one `_id` read per document and look) until it has.
 */
export async function waitUntilViewsShow(views: readonly ViewStore<unknown>[], events: readonly EventEnvelope[], timeoutMs: number): Promise<boolean> {
  const touched = views.filter((view) => events.some((event) => view.feeds(event)));
  const deadline = Date.now() + timeoutMs;
  for (let pause = FIRST_PAUSE_MS; ; pause = Math.min(pause * 2, READ_YOUR_WRITES_MAX_PAUSE_MS)) {
    const shown = await Promise.all(touched.map((view) => view.shows(events)));
    if (shown.every(Boolean)) return true;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    await new Promise((resolve) => setTimeout(resolve, Math.min(pause, left)));
  }
}
