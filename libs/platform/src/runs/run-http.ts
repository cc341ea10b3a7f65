import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiParam, ApiResponse } from '@nestjs/swagger';
import { JsonSchema } from '@continuum/contracts';
import { CommandContext } from '../commands';
import { PlatformResponse } from '../http/platform-request';
import { prefersAsync } from './run-record';
import { RunQueue } from './run-queue';

export const PREFER_HEADER = 'Prefer';
export const PREFERENCE_APPLIED_HEADER = 'Preference-Applied';

/**
 * Answers POST /<kind>-runs: with `Prefer: respond-async` 202 `{ runId }` at once (with
 * `Preference-Applied: respond-async` and `Location: /<kind>-runs/<runId>`), the run going on as a
 * job; otherwise the run inside the request, 200 with its result and runId.
 *
 *   run(@Body() body, @CurrentContext() context, @Headers('prefer') prefer, @Res({ passthrough: true }) response) {
 *     return startRun(this.runs, { input: ..., context, prefer, response });
 *   }
 */
export async function startRun<I, R extends object>(
  runs: RunQueue<I, R>,
  request: { readonly input: I; readonly context: CommandContext; readonly prefer: string | readonly string[] | undefined; readonly response: PlatformResponse },
): Promise<(R & { runId: string }) | { runId: string }> {
  if (!prefersAsync(request.prefer)) return runs.runNow(request.input, request.context);
  const started = await runs.runLater(request.input, request.context);
  request.response.status(202);
  request.response.setHeader(PREFERENCE_APPLIED_HEADER, 'respond-async');
  request.response.setHeader('Location', runs.location(started.runId));
  request.response.setHeader('Vary', PREFER_HEADER);
  return started;
}

const runIdSchema = (): JsonSchema => ({ type: 'string', description: 'the run, as GET /<kind>-runs/{id} finds it' });

/** The result schema of a run with its runId. */
export function withRunId(result: JsonSchema): JsonSchema {
  const properties = (result['properties'] as Record<string, JsonSchema> | undefined) ?? {};
  const required = (result['required'] as string[] | undefined) ?? [];
  return { ...result, properties: { ...properties, runId: runIdSchema() }, required: [...required, 'runId'] };
}

/** What GET /<kind>-runs/{id} answers, `result` being what the synchronous POST answers (without runId). */
export function runAnswerSchema(result: JsonSchema): JsonSchema {
  const count = (): JsonSchema => ({ type: 'integer', minimum: 0 });
  return {
    type: 'object',
    required: ['runId', 'status', 'startedAt', 'progress'],
    properties: {
      runId: runIdSchema(),
      status: { type: 'string', enum: ['RUNNING', 'DONE', 'FAILED'] },
      startedAt: { type: 'string', format: 'date-time' },
      finishedAt: { type: 'string', format: 'date-time', description: 'when it became DONE or FAILED' },
      progress: { type: 'object', required: ['done', 'total'], properties: { done: count(), total: count() }, description: 'items looked at of those found; written every 100 items or every second, not per item' },
      result: { ...result, description: 'once DONE: what the synchronous POST answers' },
      error: { type: 'string', description: 'once FAILED: why' },
    },
  };
}

/**
 * OpenAPI of POST /<kind>-runs: the Prefer header, 200 with the result and runId, 202 with the runId
 * and its Location.
 */
export function ApiRunStart(kind: string, result: JsonSchema, description: string) {
  return applyDecorators(
    ApiHeader({
      name: PREFER_HEADER,
      required: false,
      description: '`respond-async` (RFC 7240): answer 202 { runId } at once and run on as a job; follow it at the Location',
      schema: { type: 'string', example: 'respond-async' },
    }),
    ApiResponse({ status: 200, description: `${description} (the run inside the request, recorded under runId)`, schema: withRunId(result) }),
    ApiResponse({
      status: 202,
      description: 'With Prefer: respond-async: the run is queued and recorded RUNNING',
      schema: { type: 'object', required: ['runId'], properties: { runId: runIdSchema() } },
      headers: {
        [PREFERENCE_APPLIED_HEADER]: { description: 'respond-async', schema: { type: 'string', enum: ['respond-async'] } },
        Location: { description: `/${kind}-runs/{runId}`, schema: { type: 'string' } },
      },
    }),
  );
}

/** OpenAPI of GET /<kind>-runs/{id}. */
export function ApiRunStatus(kind: string, result: JsonSchema) {
  return applyDecorators(
    ApiParam({ name: 'id', description: `a runId answered by POST /${kind}-runs` }),
    ApiResponse({ status: 200, description: 'The run: RUNNING with its progress, DONE with its result, or FAILED with why', schema: runAnswerSchema(result) }),
  );
}
