// /ops (admins): one page over the five services' operations, each from its own `GET /ops` and
// `GET /ops/dead-letters` (docs/operations.md, "The operations API"); docs/console.md says what it shows.
import { useRef, useState } from 'preact/hooks';
import { Action, call, Heading, html, Loading, problemText, useResource, when } from '../ui.js';

const SERVICES = ['orders', 'payments', 'fulfillment', 'subscriptions', 'projections'];

const age = (ms) => (typeof ms !== 'number' ? '' : ms < 1000 ? `${ms} ms` : ms < 120_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`);
const post = (service, path, body = {}) => (key) => call(service, path, { method: 'POST', body, idempotencyKey: key });

export function OpsPage() {
  const [round, setRound] = useState(0);
  return html`<${Heading}>Operations</${Heading}>
    <p class="muted">Each service's queues, consumer groups, outbox, dead letters and sweepers, as the service reports them now.
      <button type="button" onClick=${() => setRound((n) => n + 1)}>Refresh</button></p>
    ${SERVICES.map((service) => html`<${ServiceOps} key=${`${service}-${round}`} service=${service} />`)}`;
}

function ServiceOps({ service }) {
  const status = useResource(service, '/ops');
  const letters = useResource(service, '/ops/dead-letters');
  const headingId = `ops-${service}`;
  return html`<section class="card" aria-labelledby=${headingId}>
    <h2 id=${headingId}>${service}</h2>
    ${status.answer?.status === 403
      ? html`<p role="alert" class="error">Operations are for admins: sign in with an admin key.</p>`
      : html`<${Loading} resource=${status} what=${`operations of ${service}`}>
          ${(ops) => html`
            ${ops.errors && Object.keys(ops.errors).length > 0
              ? html`<p role="alert" class="error">Not read: ${Object.entries(ops.errors).map(([part, why]) => `${part} (${why})`).join('; ')}</p>`
              : null}
            <p><strong>${figures(ops)}</strong></p>
            <details open=${needsLook(ops)}>
              <summary>Queues, consumer groups, outbox and sweepers of ${service}</summary>
              <${Queues} service=${service} queues=${ops.queues} reload=${status.reload} />
              <${Consumers} service=${service} consumers=${ops.consumers} />
              <${Outbox} outbox=${ops.outbox} />
              <${Sweepers} service=${service} sweepers=${ops.sweepers} />
            </details>
            <h3>Dead letters</h3>
            <p>${ops.deadLetters.length === 0 ? 'No dead-letter topic read.' : ops.deadLetters.map((topic) => `${topic.topic}: ${topic.count}`).join(' · ')}</p>
            <${DeadLetterList} service=${service} letters=${letters} reload=${() => (letters.reload(), status.reload())} />
          `}
        </${Loading}>`}
  </section>`;
}

/** One line a person on call reads first: lag, outbox, dead letters, failed jobs, failing sweepers. */
function figures(ops) {
  const lag = ops.consumers.reduce((sum, group) => sum + group.lag.reduce((n, p) => n + p.lag, 0), 0);
  const letters = ops.deadLetters.reduce((sum, topic) => sum + topic.count, 0);
  const failedJobs = ops.queues.reduce((sum, queue) => sum + queue.failed, 0);
  const failing = ops.sweepers.filter((run) => run.lastResult && !run.lastResult.ok).length;
  const outbox = ops.outbox ? `outbox ${ops.outbox.backlog} (oldest ${age(ops.outbox.oldestAgeMs)})` : 'outbox not read';
  return `Lag ${lag} · ${outbox} · dead letters ${letters} · failed jobs ${failedJobs} · sweepers ${ops.sweepers.length}, ${failing} failing`;
}

/** The details open by themselves when something there needs a person: a failed job, a failing sweeper, a part not read. */
const needsLook = (ops) => ops.queues.some((queue) => queue.failed > 0) || ops.sweepers.some((run) => run.lastResult && !run.lastResult.ok) || Boolean(ops.errors && Object.keys(ops.errors).length > 0);

function Queues({ service, queues, reload }) {
  // a queue's failed jobs stay listed once shown, so what a retry or removal did is still read when none is left
  const shown = useRef(new Set());
  for (const queue of queues) if (queue.failed > 0) shown.current.add(queue.name);
  if (queues.length === 0) return html`<h3>Queues</h3><p>No queue.</p>`;
  return html`<h3>Queues</h3>
    <table>
      <caption class="muted">Jobs per state in the queues of ${service}</caption>
      <thead><tr><th scope="col">Queue</th><th scope="col">Waiting</th><th scope="col">Active</th><th scope="col">Delayed</th><th scope="col">Failed</th><th scope="col">Completed</th></tr></thead>
      <tbody>
        ${queues.map(
          (queue) => html`<tr key=${queue.name}>
            <td>${queue.name}</td><td>${queue.waiting}</td><td>${queue.active}</td><td>${queue.delayed}</td><td>${queue.failed}</td><td>${queue.completed}</td>
          </tr>`,
        )}
      </tbody>
    </table>
    ${queues.filter((queue) => queue.failed > 0 || shown.current.has(queue.name)).map((queue) => html`<${FailedJobs} key=${queue.name} service=${service} queue=${queue.name} reload=${reload} />`)}`;
}

/** Visually hidden, read by screen readers: the rest of a button's name ("Retry" reads "Retry job 7"). */
const HIDDEN = 'position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap';
const FAILED_PAGE = 20;

/**
 * A queue's failed jobs, the last to fail first, a page at a time (`GET /ops/queues/:name/failed-jobs`:
 * id, name, reason, tries, when; never the job's data), each with Retry and Remove ("Retry job <id>").
 */
function FailedJobs({ service, queue, reload }) {
  const [afters, setAfters] = useState([]);
  const after = afters.at(-1);
  const base = `/ops/queues/${encodeURIComponent(queue)}`;
  const list = useResource(service, `${base}/failed-jobs?limit=${FAILED_PAGE + 1}${after === undefined ? '' : `&after=${encodeURIComponent(after)}`}`);
  // what the last Retry or Remove did, read out here: its row leaves the list when the list is read again
  const [notice, setNotice] = useState('');
  const again = (body) => {
    // (no body: the Reload of a conflict, nothing done)
    if (body?.jobId) setNotice(body.state === 'removed' ? `Job ${body.jobId} removed.` : `Job ${body.jobId} is ${body.state ?? 'waiting'} again.`);
    list.reload();
    reload();
  };
  const caption = `Failed jobs in ${queue}, the last to fail first`;
  if (!list.answer) return html`<p role="status">Loading the failed jobs in ${queue}…</p>`;
  if (list.answer.network || list.answer.status >= 400) return html`<p role="alert" class="error">Failed jobs in ${queue}: ${problemText(list.answer)}</p>`;
  const all = list.answer.body ?? [];
  const rows = all.slice(0, FAILED_PAGE);
  return html`<p role="status" class="notice">${notice}</p>
    <table>
      <caption>${caption}</caption>
      <thead><tr><th scope="col">Job</th><th scope="col">Name</th><th scope="col">Reason</th><th scope="col">Tries</th><th scope="col">Failed</th><th scope="col">Actions</th></tr></thead>
      <tbody>
        ${rows.length === 0 ? html`<tr><td colspan="6">No failed job${afters.length > 0 ? ' on this page' : ''}.</td></tr>` : null}
        ${rows.map((job) => {
          const path = `${base}/jobs/${encodeURIComponent(job.jobId)}`;
          return html`<tr key=${job.jobId}>
            <td><code>${job.jobId}</code></td><td>${job.name}</td><td>${job.failedReason ?? ''}</td><td>${job.attemptsMade}</td><td>${when(job.failedAt)}</td>
            <td>
              <${Action} label=${html`Retry<span style=${HIDDEN}> job ${job.jobId}</span>`} run=${post(service, `${path}/retry`)} onDone=${again} done=${() => 'Sent.'} />
              <${Action} label=${html`Remove<span style=${HIDDEN}> job ${job.jobId}</span>`} run=${(key) => call(service, path, { method: 'DELETE', idempotencyKey: key })} onDone=${again} done=${() => 'Sent.'} />
            </td>
          </tr>`;
        })}
      </tbody>
    </table>
    ${afters.length > 0 || all.length > FAILED_PAGE
      ? html`<nav aria-label=${`Pages of the failed jobs in ${queue}`}>
          <button type="button" onClick=${() => setAfters((pages) => pages.slice(0, -1))} disabled=${afters.length === 0}>Newer failed jobs</button>
          <button type="button" onClick=${() => setAfters((pages) => [...pages, rows[rows.length - 1].jobId])} disabled=${all.length <= FAILED_PAGE}>Older failed jobs</button>
        </nav>`
      : null}`;
}

function Consumers({ service, consumers }) {
  if (consumers.length === 0) return html`<h3>Consumer groups</h3><p>No consumer group.</p>`;
  return html`<h3>Consumer groups</h3>
    <table>
      <caption class="muted">Consumer groups of ${service}, lag per partition (records not yet handled)</caption>
      <thead><tr><th scope="col">Group</th><th scope="col">Topic</th><th scope="col">Lag per partition</th><th scope="col">Total lag</th></tr></thead>
      <tbody>
        ${consumers.map(
          (group) => html`<tr key=${`${group.groupId}/${group.topic}`}>
            <td>${group.groupId}</td><td>${group.topic}</td>
            <td>${group.lag.map((p) => `${p.partition}: ${p.lag}`).join(', ')}</td><td>${group.lag.reduce((sum, p) => sum + p.lag, 0)}</td>
          </tr>`,
        )}
      </tbody>
    </table>`;
}

function Outbox({ outbox }) {
  return html`<h3>Outbox</h3>
    ${outbox
      ? html`<p>Backlog ${outbox.backlog} · oldest ${age(outbox.oldestAgeMs)} · lease holder ${outbox.leaseHolder ?? 'none'}</p>`
      : html`<p>Not read.</p>`}`;
}

function Sweepers({ service, sweepers }) {
  if (sweepers.length === 0) return html`<h3>Sweepers</h3><p>No sweeper.</p>`;
  const result = (run) => {
    if (!run.lastResult) return 'not run yet';
    const { ok, error, ...rest } = run.lastResult;
    if (!ok) return `failed: ${error}`;
    const what = Object.entries(rest).map(([name, value]) => `${name} ${typeof value === 'object' ? JSON.stringify(value) : value}`);
    return `ok${what.length ? ` (${what.join(', ')})` : ''}`;
  };
  return html`<h3>Sweepers</h3>
    <table>
      <caption class="muted">Sweepers of ${service}: last run and runs since the service started</caption>
      <thead><tr><th scope="col">Sweeper</th><th scope="col">Last run</th><th scope="col">Result</th><th scope="col">Runs (ok / failed)</th></tr></thead>
      <tbody>
        ${sweepers.map(
          (run) => html`<tr key=${run.name}>
            <td>${run.name}</td><td>${when(run.lastRunAt)}</td><td>${result(run)}</td><td>${run.runs ? `${run.runs.ok} / ${run.runs.failed}` : ''}</td>
          </tr>`,
        )}
      </tbody>
    </table>`;
}

function DeadLetterList({ service, letters, reload }) {
  if (!letters.answer) return html`<p role="status">Loading the dead letters of ${service}…</p>`;
  if (letters.answer.network || letters.answer.status >= 400) return html`<p role="alert" class="error">Dead letters of ${service}: ${problemText(letters.answer)}</p>`;
  const rows = letters.answer.body ?? [];
  if (rows.length === 0) return html`<p>No dead letter.</p>`;
  return html`<table>
    <caption class="muted">Dead letters of ${service}, oldest first per partition</caption>
    <thead><tr><th scope="col">Dead letter</th><th scope="col">From</th><th scope="col">Key</th><th scope="col">Reason</th><th scope="col">Error</th><th scope="col">Failed</th><th scope="col">Replayed</th><th scope="col">Actions</th></tr></thead>
    <tbody>
      ${rows.map((entry) => {
        const letter = entry.deadLetter;
        const id = entry.id ?? entry.deadLetterId;
        return html`<tr key=${id}>
          <td><code>${id}</code></td><td>${letter?.source?.topic ?? ''}</td><td>${letter?.source?.key ?? entry.key ?? ''}</td>
          <td>${letter?.reason ?? entry.reason ?? 'not a dead letter of this platform'}</td>
          <td>${letter?.error ? `${letter.error.code ? `${letter.error.code}: ` : ''}${letter.error.message ?? ''}` : ''}</td>
          <td>${when(letter?.failedAt ?? entry.timestamp)}</td>
          <td>${entry.replayed ? `${entry.replayed.replays}× by ${entry.replayed.replayedBy}, ${when(entry.replayed.lastReplayedAt)}` : 'no'}</td>
          <td>
            ${entry.notReplayable
              ? html`<span class="muted">${entry.notReplayable}</span>`
              : html`<${Action}
                  label=${entry.replayed ? 'Replay again' : 'Replay'}
                  run=${post(service, `/ops/dead-letters/${encodeURIComponent(id)}/replay`, entry.replayed ? { force: true } : {})}
                  onDone=${reload}
                  done=${(body) => `Replayed to ${body?.topic ?? 'its topic'}.`}
                />`}
          </td>
        </tr>`;
      })}
    </tbody>
  </table>`;
}
