import { Controller, Get, Headers, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiRunStart, ApiRunStatus, CommandContext, CurrentContext, PlatformResponse, RunAnswer, Roles, startRun } from '@continuum/platform';
import { ExportRunQueue } from '../jobs';
import { exportedAnswer } from './fulfillment.responses';

/**
 * An export run at once, instead of waiting for the scheduled one (EXPORT_INTERVAL_MS): inside the
 * request, or with `Prefer: respond-async` as a job of the export queue; either way recorded in `runs`.
 */
@ApiTags('export')
@Controller('export-runs')
export class ExportRunsController {
  constructor(@Inject(ExportRunQueue) private readonly runs: ExportRunQueue) {}

  @Post()
  @HttpCode(200)
  @Roles('admin', 'service')
  @ApiOperation({ summary: 'Send every HOLD fulfillment whose order may ship to fulfillment.requests.v1 and mark it PENDING -> { exported: n, runId }; with Prefer: respond-async 202 { runId }' })
  @ApiRunStart('export', exportedAnswer(), 'How many fulfillments this run exported')
  run(
    @CurrentContext() context: CommandContext,
    @Headers('prefer') prefer: string | undefined,
    @Res({ passthrough: true }) response: PlatformResponse,
  ): Promise<{ exported: number; runId: string } | { runId: string }> {
    return startRun(this.runs, { input: {}, context, prefer, response });
  }

  @Get(':id')
  @Roles('admin', 'service')
  @ApiOperation({ summary: 'An export run: RUNNING with its progress, DONE with what POST answers, or FAILED' })
  @ApiRunStatus('export', exportedAnswer())
  get(@Param('id') id: string): Promise<RunAnswer<{ exported: number }>> {
    return this.runs.answer(id);
  }
}
