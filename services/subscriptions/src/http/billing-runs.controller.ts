import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiRunStart, ApiRunStatus, CommandContext, CurrentContext, PlatformResponse, Roles, RunAnswer, startRun } from '@continuum/platform';
import { BillingRunResult } from '../commands';
import { BillingRunQueue } from '../jobs';
import { SUBSCRIPTIONS_SETTINGS, SubscriptionsSettings } from '../subscriptions-settings';
import { BillingRunDto } from './purchase.dto';
import { billingRunResponse } from './subscriptions.responses';

/**
 * A rebill run at once, as the daily job does: inside the request, or with `Prefer: respond-async` as
 * a job of the billing-runs queue; either way recorded in `runs`.
 */
@ApiTags('billing')
@Controller('billing-runs')
export class BillingRunsController {
  constructor(
    @Inject(BillingRunQueue) private readonly runs: BillingRunQueue,
    @Inject(SUBSCRIPTIONS_SETTINGS) private readonly settings: SubscriptionsSettings,
  ) {}

  @Post()
  @HttpCode(200)
  @Roles('admin', 'service')
  @ApiOperation({
    summary:
      'Bill every purchase due by asOf (default now) -> { billed, declined, runId } (and requested, pending: bills whose outcome had not come after BILLING_RUN_WAIT_MS; cancelled: dated cancellations that took effect); with Prefer: respond-async 202 { runId }',
  })
  @ApiRunStart('billing', billingRunResponse(), 'What the run did')
  run(
    @Body() body: BillingRunDto,
    @CurrentContext() context: CommandContext,
    @Headers('prefer') prefer: string | undefined,
    @Res({ passthrough: true }) response: PlatformResponse,
  ): Promise<(BillingRunResult & { runId: string }) | { runId: string }> {
    const asOf = body?.asOf !== undefined ? new Date(body.asOf).toISOString() : new Date().toISOString();
    return startRun(this.runs, { input: { asOf, waitMs: this.settings.billingRunWaitMs }, context, prefer, response });
  }

  @Get(':id')
  @Roles('admin', 'service')
  @ApiOperation({ summary: 'A rebill run: RUNNING with its progress, DONE with what POST answers, or FAILED' })
  @ApiRunStatus('billing', billingRunResponse())
  get(@Param('id') id: string): Promise<RunAnswer<BillingRunResult>> {
    return this.runs.answer(id);
  }
}
