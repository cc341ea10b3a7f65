import { Agent as HttpAgent, request as httpRequest, IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface JsonResponse {
  readonly status: number;
  /** the parsed JSON body; undefined when there was none or it was no JSON */
  readonly body: unknown;
}

export interface JsonRequestOptions {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  /** sent as JSON */
  readonly body?: unknown;
  /** the whole exchange, connect to last byte (default 10,000 ms) */
  readonly timeoutMs?: number;
}

// one keep-alive pool per protocol for the process: a call reuses a connection instead of opening one
const agents = { 'http:': new HttpAgent({ keepAlive: true }), 'https:': new HttpsAgent({ keepAlive: true }) };

/**
 * One JSON request over node:http(s) with keep-alive connections. Service-to-service calls go
 * through here rather than `fetch`: under the pipeline bench a `fetch` cost about four times the CPU
 * of the same request on node:http (0.4 against 0.1 ms, client and server in one process). Rejects
 * when the server cannot be reached or `timeoutMs` passes; any HTTP status resolves.
 */
export function requestJson(url: string, options: JsonRequestOptions = {}): Promise<JsonResponse> {
  const target = new URL(url);
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const agent = agents[target.protocol as keyof typeof agents];
  if (!agent) return Promise.reject(new Error(`requestJson: unsupported protocol ${target.protocol}`));
  return new Promise<JsonResponse>((resolve, reject) => {
    const req = request(
      target,
      {
        method: options.method ?? 'GET',
        agent,
        headers: {
          accept: 'application/json',
          ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) }),
          ...options.headers,
        },
        timeout: options.timeoutMs ?? 10_000,
      },
      (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            body = undefined;
          }
          resolve({ status: response.statusCode ?? 0, body });
        });
      },
    );
    const deadline = setTimeout(() => req.destroy(new Error(`requestJson: no answer from ${target.origin} within ${options.timeoutMs ?? 10_000} ms`)), options.timeoutMs ?? 10_000);
    req.on('close', () => clearTimeout(deadline));
    req.on('timeout', () => req.destroy(new Error(`requestJson: ${target.origin} went silent`)));
    req.on('error', reject);
    req.end(payload);
  });
}

export interface ServiceCallOptions extends Omit<JsonRequestOptions, 'headers'> {
  /** a key the called service accepts (sent as `authorization: Bearer <key>`) */
  readonly apiKey: string;
  /** the caller's correlation id, so both services' log lines tell one story */
  readonly correlationId: string;
}

/**
 * A call to another service of the deployment (services never import each other): `requestJson`
 * with the caller's API key and correlation id. When the service cannot be reached or does not
 * answer in time, what `unreachable(error)` returns is thrown (the caller's own 503, after logging).
 * Any HTTP status resolves: what a status means is the caller's to say.
 */
export async function callService(url: string, options: ServiceCallOptions, unreachable: (error: unknown) => Error): Promise<JsonResponse> {
  const { apiKey, correlationId, ...request } = options;
  try {
    return await requestJson(url, { ...request, headers: { authorization: `Bearer ${apiKey}`, 'x-correlation-id': correlationId } });
  } catch (error) {
    throw unreachable(error);
  }
}
