import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiRunStart, ApiRunStatus, CommandContext, CurrentContext, PlatformResponse, Roles, RunAnswer, startRun } from '@continuum/platform';
import { SettlementRunQueue } from '../jobs';
import { settlementAnswer } from './payments.responses';
import { SettlementRunDto } from './settlement-run.dto';

/**
 * Settlement at once, instead of waiting SETTLEMENT_DELAY_MS: inside the request, or with
 * `Prefer: respond-async` as a job of the settlement-runs queue; either way recorded in `runs`.
 */
@ApiTags('settlement')
@Controller('settlement-runs')
export class SettlementRunsController {
  constructor(@Inject(SettlementRunQueue) private readonly runs: SettlementRunQueue) {}

  @Post()
  @HttpCode(200)
  @Roles('admin', 'service')
  @ApiOperation({ summary: 'Settle every unsettled charge taken at or before asOf (default now) -> { settled: n, runId }; with Prefer: respond-async 202 { runId }' })
  @ApiRunStart('settlement', settlementAnswer(), 'How many charges were settled')
  run(
    @Body() body: SettlementRunDto,
    @CurrentContext() context: CommandContext,
    @Headers('prefer') prefer: string | undefined,
    @Res({ passthrough: true }) response: PlatformResponse,
  ): Promise<{ settled: number; runId: string } | { runId: string }> {
    const asOf = body.asOf !== undefined ? new Date(body.asOf).toISOString() : new Date().toISOString();
    return startRun(this.runs, { input: { asOf }, context, prefer, response });
  }

  @Get(':id')
  @Roles('admin', 'service')
  @ApiOperation({ summary: 'A settlement run: RUNNING with its progress, DONE with what POST answers, or FAILED' })
  @ApiRunStatus('settlement', settlementAnswer())
  get(@Param('id') id: string): Promise<RunAnswer<{ settled: number }>> {
    return this.runs.answer(id);
  }
}
