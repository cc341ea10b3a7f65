import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Actor } from '@continuum/contracts';
import { CurrentActor, Roles, SchemaField } from '../http';
import { DeadLetterEntry, DeadLetters, ReplayResult } from './dead-letters';

/** Injection token of the service's own DeadLetters (its `<context>.dlq.v1`), provided by the service platform. */
export const DEAD_LETTERS = Symbol('DEAD_LETTERS');

/** POST /ops/dead-letters/:id/replay */
export class ReplayDeadLetterDto {
  @SchemaField({ type: 'boolean' }, { optional: true, example: false, description: 'replay a dead letter already replayed (consumers still handle it once)' })
  force?: boolean;
}

const ID_PARAM = ApiParam({ name: 'id', description: '<dlq topic>:<partition>:<offset> of the dead letter, as listed', example: 'payments.dlq.v1:0:12' });

const entrySchema = {
  type: 'object',
  description: 'A dead letter: where it is, the reason, the error, the source record (card data redacted), whether it was replayed',
  properties: {
    id: { type: 'string' },
    topic: { type: 'string' },
    partition: { type: 'integer' },
    offset: { type: 'string' },
    timestamp: { type: 'string', format: 'date-time' },
    deadLetter: { type: 'object', nullable: true },
    replayed: { type: 'object', nullable: true },
    notReplayable: { type: 'string', nullable: true },
  },
};

/**
 * The service's dead letters for people on call (admin key only): list, show, and replay after the
 * cause was removed. The same functions as `npm run dlq` (docs/operations.md, "Dead letters").
 */
@ApiTags('ops')
@Controller('ops/dead-letters')
export class DeadLettersController {
  constructor(@Inject(DEAD_LETTERS) private readonly deadLetters: DeadLetters) {}

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: "Every dead letter on this service's dead-letter topic, oldest first per partition, each with whether it was replayed" })
  @ApiResponse({ status: 200, description: 'The dead letters', schema: { type: 'array', items: entrySchema } })
  list(): Promise<DeadLetterEntry[]> {
    return this.deadLetters.list();
  }

  @Get(':id')
  @Roles('admin')
  @ID_PARAM
  @ApiOperation({ summary: 'One dead letter' })
  @ApiResponse({ status: 200, description: 'The dead letter', schema: entrySchema })
  show(@Param('id') id: string): Promise<DeadLetterEntry> {
    return this.deadLetters.show(id);
  }

  @Post(':id/replay')
  @Roles('admin')
  @HttpCode(200)
  @ID_PARAM
  @ApiOperation({
    summary:
      'Publish the original record again to its source topic (same key and headers, plus x-replay-count) and mark the dead letter replayed; 409 when it was replayed already (force to send it again), 422 when it cannot be sent as it was',
  })
  @ApiResponse({
    status: 200,
    description: 'Where it went',
    schema: {
      type: 'object',
      properties: { id: { type: 'string' }, topic: { type: 'string' }, key: { type: 'string', nullable: true }, replayCount: { type: 'integer' }, replays: { type: 'integer' }, replayedAt: { type: 'string', format: 'date-time' } },
    },
  })
  replay(@Param('id') id: string, @Body() body: ReplayDeadLetterDto, @CurrentActor() actor: Actor): Promise<ReplayResult> {
    return this.deadLetters.replay(id, { actor: `${actor.kind}:${actor.id}`, force: body?.force === true });
  }
}
