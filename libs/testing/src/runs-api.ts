import { eventually, EventuallyOptions } from './integration';
import { HttpAgent } from './http-agent';

/** GET /<runs>/:id: a run as the platform records it (docs/operations.md, "Runs"). */
export interface RunBody<R = Record<string, unknown>> {
  runId: string;
  status: 'RUNNING' | 'DONE' | 'FAILED';
  startedAt: string;
  finishedAt?: string;
  progress: { done: number; total: number };
  result?: R;
}

/** An OpenAPI operation as the specs read it. */
type Operation = { parameters: { name: string }[]; responses: Record<string, { headers?: object; content: Record<string, { schema: Record<string, unknown> }> }> };

/** The run endpoints of one service, for its run specs; every call checks what all runs answer alike. */
export interface RunsApi<R> {
  /** GET <path>/:id, answered 200 */
  get(runId: string): Promise<RunBody<R>>;
  /** waits until GET shows the run DONE, and answers it */
  done(runId: string): Promise<RunBody<R>>;
  /** POST <path> without Prefer: 200, the result with its runId */
  now(body?: object): Promise<R & { runId: string }>;
  /**
   * POST <path> with Prefer: respond-async: checks the 202 `{ runId }` (prefixed with the run's kind),
   * Preference-Applied and Location, and that GET shows it RUNNING or DONE; answers the runId
   */
  queue(body?: object): Promise<string>;
  /** checks that GET of an unknown run of this kind is a 404 problem+json RUN_NOT_FOUND */
  expectUnknownRunNotFound(): Promise<void>;
  /** the POST and GET operations of the service's OpenAPI document, checked to declare Prefer and the 202 answer */
  openApi(): Promise<{ post: Operation; get: Operation }>;
}

/**
 * The runs of one kind, as an admin calls them:
 *
 *   const runs = runsApi<{ exported: number }>(sut.http.as(devKeys.admin), '/export-runs', 'export', fulfillmentWait);
 *   const runId = await runs.queue();
 *   expect((await runs.done(runId)).result).toEqual({ exported: 1 });
 */
export function runsApi<R extends object>(http: HttpAgent, path: string, kind: string, wait: EventuallyOptions = {}): RunsApi<R> {
  const get = async (runId: string) => (await http.get(`${path}/${runId}`).expect(200)).body as RunBody<R>;
  return {
    get,
    done: (runId) =>
      eventually(
        async () => {
          const body = await get(runId);
          return body.status === 'DONE' ? body : undefined;
        },
        `run ${runId} DONE`,
        wait,
      ),
    now: async (body = {}) => (await http.post(path, body).expect(200)).body as R & { runId: string },
    queue: async (body = {}) => {
      const answer = await http.post(path, body).set('Prefer', 'respond-async').expect(202);
      expect(answer.body).toEqual({ runId: expect.stringMatching(new RegExp(`^${kind}-`)) });
      const { runId } = answer.body as { runId: string };
      expect(answer.headers['preference-applied']).toBe('respond-async');
      expect(answer.headers['location']).toBe(`${path}/${runId}`);
      expect(['RUNNING', 'DONE']).toContain((await get(runId)).status);
      return runId;
    },
    expectUnknownRunNotFound: async () => {
      const unknown = await http.get(`${path}/${kind}-00000000-0000-0000-0000-000000000000`).expect(404);
      expect(unknown.headers['content-type']).toContain('application/problem+json');
      expect(unknown.body).toMatchObject({ status: 404, code: 'RUN_NOT_FOUND' });
    },
    openApi: async () => {
      const doc = (await http.get('/docs-json').expect(200)).body as { paths: Record<string, { post: Operation; get: Operation }> };
      const post = doc.paths[path]!.post;
      const get = doc.paths[`${path}/{id}`]!.get;
      expect(post.parameters.map((parameter) => parameter.name)).toContain('Prefer');
      expect(post.responses).toHaveProperty('202');
      expect(get.responses).toHaveProperty('404');
      return { post, get };
    },
  };
}
