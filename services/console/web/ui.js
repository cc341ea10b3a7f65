// What every page of the console shares: calls through the console with the signed-in user's key,
// money and dates, routing, the page heading, loading a resource, and the one-request Action button.
// Pages (app.js, pages/*.js) import these; docs/console.md says what each page does.
import { h } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import htm from 'htm';

export const html = htm.bind(h);
export const KEY = 'continuum.apiKey';

// ---------------------------------------------------------------------------------------------
// Calls, money and dates

/** One call to a service through the console: `{ status, body }`, or `{ network: true }` when nothing answered. */
export async function call(service, path, { method = 'GET', body, idempotencyKey } = {}) {
  const headers = { authorization: `Bearer ${sessionStorage.getItem(KEY) ?? ''}`, accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
  let res;
  try {
    res = await fetch(`/api/${service}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    return { status: 0, body: null, network: true };
  }
  const text = await res.text();
  let parsed = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  if (res.status === 401 && sessionStorage.getItem(KEY)) {
    sessionStorage.removeItem(KEY);
    window.dispatchEvent(new Event('signed-out'));
  }
  return { status: res.status, body: parsed };
}

/** A service's refusal in words a person can act on. */
export function problemText(answer) {
  if (answer.network) return 'The console cannot reach the server (network). Nothing was sent twice: press the button again to retry the same request.';
  const body = answer.body ?? {};
  const detail = typeof body === 'string' ? body : (body.detail ?? body.message ?? body.title);
  const errors = Array.isArray(body.errors) ? ` (${body.errors.map((e) => (typeof e === 'string' ? e : (e.message ?? e.field))).join('; ')})` : '';
  return `${detail ?? `The server answered ${answer.status}`}${errors}`;
}

export const money = (minor, currency = 'USD') => (typeof minor === 'number' ? new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(minor / 100) : '');
export const when = (iso) => (iso ? new Date(iso).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' }) : '');
export const day = (iso) => (iso ? String(iso).slice(0, 10) : '');
export const toMinor = (text) => Math.round(Number(String(text).replace(/[$,\s]/g, '')) * 100);

// ---------------------------------------------------------------------------------------------
// Routing: the path is the page; links change it without reloading

export function navigate(to) {
  history.pushState(null, '', to);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

export function useLocation() {
  const [where, setWhere] = useState(location.pathname + location.search);
  useEffect(() => {
    const on = () => setWhere(location.pathname + location.search);
    window.addEventListener('popstate', on);
    return () => window.removeEventListener('popstate', on);
  }, []);
  return where;
}

export function Link({ href, children, ...rest }) {
  const go = (event) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(href);
  };
  return html`<a href=${href} onClick=${go} ...${rest}>${children}</a>`;
}

/** The page's level-1 heading; it takes the focus when the page opens, so a screen reader says where the user is. */
export function Heading({ children }) {
  const ref = useRef(null);
  useEffect(() => ref.current?.focus(), []);
  return html`<h1 tabIndex="-1" ref=${ref}>${children}</h1>`;
}

/** Loads `service` `path`; reloads when the path changes or on `reload()`. */
export function useResource(service, path) {
  const [state, setState] = useState({ loading: true, answer: null });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    if (path === null) return undefined;
    setState((previous) => ({ loading: true, answer: previous.answer }));
    call(service, path).then((answer) => live && setState({ loading: false, answer }));
    return () => {
      live = false;
    };
  }, [service, path, round]);
  return { ...state, reload: useCallback(() => setRound((n) => n + 1), []) };
}

export function Loading({ resource, what, children }) {
  if (!resource.answer) return html`<p role="status">Loading ${what}…</p>`;
  const { answer } = resource;
  if (answer.status === 404) return html`<p role="alert" class="error">No ${what} found.</p>`;
  if (answer.network || answer.status >= 400) return html`<p role="alert" class="error">${what}: ${problemText(answer)}</p>`;
  return children(answer.body);
}

// ---------------------------------------------------------------------------------------------
// An action: a button that sends one request, once

let fieldIds = 0;
export const useId = (prefix) => useRef(`${prefix}-${++fieldIds}`).current;

/**
 * A button that runs one change. Its Idempotency-Key is made when the user first presses it and kept
 * until a service answers, so pressing again after a network failure repeats the same request and the
 * service does it once. A refusal (422) is said in words next to the button; a conflict (409) offers
 * to reload what changed.
 */
export function Action({ label, run, onDone, done, className }) {
  const [state, setState] = useState({ busy: false, error: null, conflict: false, message: null });
  const key = useRef(null);
  const statusId = useId('action');
  const press = async () => {
    key.current ??= crypto.randomUUID();
    setState({ busy: true, error: null, conflict: false, message: null });
    const answer = await run(key.current);
    if (answer === undefined) {
      setState({ busy: false });
      return;
    }
    if (answer.network) {
      setState({ busy: false, error: problemText(answer) });
      return;
    }
    key.current = null;
    if (answer.status >= 200 && answer.status < 300) {
      setState({ busy: false, message: done ? done(answer.body) : `${label}: done.` });
      onDone?.(answer.body);
      return;
    }
    setState({ busy: false, conflict: answer.status === 409, error: problemText(answer) });
  };
  return html`<span class="action">
    <button type="button" class=${className ?? ''} onClick=${press} disabled=${state.busy} aria-describedby=${statusId}>${label}</button>
    <span id=${statusId}>
      ${state.busy ? html`<span role="status">Working…</span>` : null}
      ${state.message ? html`<span role="status" class="notice">${state.message}</span>` : null}
      ${state.error
        ? html`<span role="alert" class="error"
            >${label} failed: ${state.error}
            ${state.conflict ? html` This record changed meanwhile. <button type="button" onClick=${() => onDone?.()}>Reload</button>` : null}</span
          >`
        : null}
    </span>
  </span>`;
}

export function Field({ label, value, onInput, type = 'text', ...rest }) {
  const id = useId('field');
  return html`<span class="field"><label for=${id}>${label}</label><input id=${id} type=${type} value=${value} onInput=${(e) => onInput(e.currentTarget.value)} ...${rest} /></span>`;
}

// ---------------------------------------------------------------------------------------------
// Paged lists: the queues (QA, refunds) are read one page at a time (`limit`, `after`)

/** The page size a list page takes from its address (`?limit=`, 1..199), 50 without one. */
export function pageSizeOf(searchParams) {
  const limit = Number(searchParams.get('limit'));
  return Number.isInteger(limit) && limit >= 1 && limit <= 199 ? limit : 50;
}

/**
 * One page of a paged list: `path` (which may already have a query) with `limit` and `after` (the
 * last id of the page before, the services' paging). It asks for one row more than it shows, so
 * "Next page" is offered only when there is a next page; "Previous page" goes back through the pages
 * seen. `rows` is the page (an array, or `{ items }`), `pager` the props of <Pager>.
 */
export function usePagedList(service, path, idOf, limit = 50) {
  const [afters, setAfters] = useState([]);
  const after = afters.at(-1);
  const query = `limit=${limit + 1}${after === undefined ? '' : `&after=${encodeURIComponent(after)}`}`;
  const resource = useResource(service, `${path}${path.includes('?') ? '&' : '?'}${query}`);
  const body = resource.answer?.body;
  const all = Array.isArray(body) ? body : (body?.items ?? []);
  const rows = all.slice(0, limit);
  return {
    resource,
    rows,
    pager: {
      count: rows.length,
      hasPrevious: afters.length > 0,
      hasNext: all.length > limit,
      previous: () => setAfters((list) => list.slice(0, -1)),
      next: () => {
        if (rows.length > 0) setAfters((list) => [...list, idOf(rows[rows.length - 1])]);
      },
      page: afters.length + 1,
      limit,
      busy: resource.loading,
    },
  };
}

/** "Previous page" / "Next page" under a paged list, and which page this is. */
export function Pager({ what, page, limit, count, hasPrevious, hasNext, previous, next, busy }) {
  if (!hasPrevious && !hasNext) return null;
  const from = (page - 1) * limit + 1;
  return html`<nav class="pager" aria-label=${`Pages of ${what}`}>
    <button type="button" onClick=${previous} disabled=${busy || !hasPrevious}>Previous page</button>
    <span role="status">Page ${page}: ${what} ${count === 0 ? 'none' : `${from}–${from + count - 1}`}</span>
    <button type="button" onClick=${next} disabled=${busy || !hasNext}>Next page</button>
  </nav>`;
}
