import { STATUS_CODES } from 'node:http';
import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { CORRELATION_HEADER } from './correlation-id.middleware';
import { PROBLEM_CONTENT_TYPE, Problem, problem } from './problem';

/** What Node's HTTP parser refuses before any route sees the request, by its error code. */
const CLIENT_ERRORS: Record<string, { status: number; detail: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, detail: 'The request headers are larger than the server accepts.' },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: { status: 413, detail: 'The chunk extensions of the body are larger than the server accepts.' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, detail: 'The request was not received in time.' },
};

const BAD_REQUEST = { status: 400, detail: 'The request line or headers are malformed.' };

/** The problem Node's parser error `code` is answered with (400 for any malformed request). */
export function clientErrorProblem(code: string | undefined): Problem {
  const known = (code !== undefined ? CLIENT_ERRORS[code] : undefined) ?? BAD_REQUEST;
  return problem(known.status, known.detail, { type: known.status === 400 ? 'urn:continuum:problem:bad-request' : 'about:blank' });
}

/** A complete HTTP/1.1 answer carrying `body` as problem+json, for a socket no request object exists for. */
export function rawProblemResponse(body: Problem, correlationId: string): string {
  const json = JSON.stringify(body);
  return [
    `HTTP/1.1 ${body.status} ${STATUS_CODES[body.status] ?? 'Error'}`,
    `Content-Type: ${PROBLEM_CONTENT_TYPE}`,
    `Content-Length: ${Buffer.byteLength(json)}`,
    `${CORRELATION_HEADER}: ${correlationId}`,
    'Connection: close',
    '',
    json,
  ].join('\r\n');
}

interface SocketWithMessage extends Duplex {
  _httpMessage?: { headersSent?: boolean } | null;
}

/**
 * Answers what Node's HTTP server refuses itself (headers over its limit: 431; a malformed request
 * line or header: 400; a request not received in time: 408) as problem+json with a fresh
 * X-Correlation-Id, instead of Node's bare status line. As Node does, nothing is written to a socket
 * that is gone or already carries an answer, and the connection is closed.
 */
export function answerClientErrorsAsProblems(server: Server, generate: () => string = randomUUID): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: SocketWithMessage) => {
    if (error.code === 'ECONNRESET' || !socket.writable || socket._httpMessage?.headersSent === true) {
      socket.destroy();
      return;
    }
    socket.end(rawProblemResponse(clientErrorProblem(error.code), generate()), () => socket.destroy());
  });
}
