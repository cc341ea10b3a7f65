import { Controller, Delete, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { idRef, listPage, pageLimitSchema } from '@continuum/contracts';
import { ApiProblems, Roles, SchemaField } from '../http';
import { FailedJobEntry, OpsSnapshot, OpsStatus, QUEUE_STATES } from './ops-status';

/** GET /ops/queues/:name/failed-jobs[?limit=][&after=]: one page, the last to fail first. */
export class FailedJobsQueryDto {
  @SchemaField(pageLimitSchema('failed jobs'), { optional: true, example: '50' })
  limit?: string;

  @SchemaField(idRef(), { optional: true, description: 'the last jobId of the previous page' })
  after?: string;
}

const failedJobSchema = {
  type: 'object',
  description: "A failed job: its id, name, why it failed (card numbers redacted), tries made and when it failed; never the job's data",
  required: ['jobId', 'name', 'failedReason', 'attemptsMade', 'failedAt'],
  properties: {
    jobId: { type: 'string' },
    name: { type: 'string' },
    failedReason: { type: 'string', nullable: true },
    attemptsMade: { type: 'integer', minimum: 0 },
    failedAt: { type: 'string', format: 'date-time', nullable: true },
  },
};

const count = { type: 'integer', minimum: 0 };
const snapshotSchema = {
  type: 'object',
  required: ['service', 'queues', 'consumers', 'outbox', 'deadLetters', 'sweepers'],
  properties: {
    service: { type: 'string' },
    queues: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, ...Object.fromEntries(QUEUE_STATES.map((s) => [s, count])) } } },
    consumers: {
      type: 'array',
      items: {
        type: 'object',
        properties: { groupId: { type: 'string' }, topic: { type: 'string' }, lag: { type: 'array', items: { type: 'object', properties: { partition: { type: 'integer' }, lag: count } } } },
      },
    },
    outbox: { type: 'object', nullable: true, properties: { backlog: count, oldestAgeMs: count, leaseHolder: { type: 'string', nullable: true } } },
    deadLetters: { type: 'array', items: { type: 'object', properties: { topic: { type: 'string' }, count } } },
    sweepers: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          lastRunAt: { type: 'string', format: 'date-time', nullable: true },
          lastResult: { type: 'object', nullable: true, description: '`ok: true` with what the run did, or `ok: false` with `error`' },
          runs: { type: 'object', properties: { ok: count, failed: count } },
        },
      },
    },
    errors: { type: 'object', additionalProperties: { type: 'string' }, description: 'the parts that could not be read, with why (absent when all were)' },
  },
};
const QUEUE_PARAM = ApiParam({ name: 'name', description: 'the queue, as `GET /ops` lists it', example: 'charges' });
const JOB_PARAM = ApiParam({ name: 'jobId', description: 'the failed job' });

/**
 * One service's operations in one answer (admin key only): its queues, consumer groups with lag per
 * partition, outbox, dead letters and sweepers; a queue's failed jobs listed, one retried or removed
 * (docs/operations.md, "The operations API").
 */
@ApiTags('ops')
@Controller('ops')
export class OpsController {
  constructor(@Inject(OpsStatus) private readonly status: OpsStatus) {}

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: "The service's queues (jobs per state), consumer groups (lag per partition), outbox (backlog, oldest age, lease holder), dead letters and sweepers' last runs" })
  @ApiResponse({ status: 200, description: 'The status now', schema: snapshotSchema })
  show(): Promise<OpsSnapshot> {
    return this.status.snapshot();
  }

  @Get('queues/:name/failed-jobs')
  @Roles('admin')
  @QUEUE_PARAM
  @ApiOperation({ summary: "One page of a queue's failed jobs, the last to fail first (id, name, reason, tries, when; no job data): `limit` 1..200 (default 50), `after` the last jobId of the previous page; 404 for an unknown queue" })
  @ApiResponse({ status: 200, description: 'The failed jobs', schema: { type: 'array', items: failedJobSchema } })
  failedJobs(@Param('name') name: string, @Query() query: FailedJobsQueryDto): Promise<FailedJobEntry[]> {
    return this.status.failedJobs(name, listPage(query));
  }

  @Post('queues/:name/jobs/:jobId/retry')
  @Roles('admin')
  @HttpCode(200)
  @QUEUE_PARAM
  @JOB_PARAM
  @ApiOperation({ summary: 'Puts a failed job back to waiting; 404 for an unknown queue or job, 409 when the job has not failed' })
  @ApiResponse({ status: 200, description: 'The job and its state now', schema: { type: 'object', properties: { queue: { type: 'string' }, jobId: { type: 'string' }, state: { type: 'string' } } } })
  retry(@Param('name') name: string, @Param('jobId') jobId: string): Promise<{ queue: string; jobId: string; state: string }> {
    return this.status.retryJob(name, jobId);
  }

  @Delete('queues/:name/jobs/:jobId')
  @Roles('admin')
  @HttpCode(200)
  @ApiProblems(409)
  @QUEUE_PARAM
  @JOB_PARAM
  @ApiOperation({ summary: 'Removes a failed job; 404 for an unknown queue or job, 409 when the job has not failed' })
  @ApiResponse({ status: 200, description: 'The job, removed', schema: { type: 'object', properties: { queue: { type: 'string' }, jobId: { type: 'string' }, state: { type: 'string', enum: ['removed'] } } } })
  async remove(@Param('name') name: string, @Param('jobId') jobId: string): Promise<{ queue: string; jobId: string; state: 'removed' }> {
    await this.status.removeJob(name, jobId);
    return { queue: name, jobId, state: 'removed' };
  }
}
