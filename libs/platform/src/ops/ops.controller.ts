import { Controller, Delete, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, Roles } from '../http';
import { OpsSnapshot, OpsStatus, QUEUE_STATES } from './ops-status';

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
 * partition, outbox, dead letters and sweepers; a failed job retried or removed
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
