import { Writable } from 'node:stream';

/** A stream to hand a logger (`createLogger(service, level, stream)`) and the JSON lines it wrote, parsed, in order. */
export function capturedLog(): { lines: Record<string, unknown>[]; stream: Writable } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { lines, stream };
}
