import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CommandContext, CurrentContext, Roles } from '@continuum/platform';
import { BillingRunResult, RunBillingCommand } from '../commands';
import { SUBSCRIPTIONS_SETTINGS, SubscriptionsSettings } from '../subscriptions-settings';
import { BillingRunDto } from './purchase.dto';
import { billingRunResponse } from './subscriptions.responses';

/** A rebill run at once, as the daily job does. */
@ApiTags('billing')
@Controller('billing-runs')
export class BillingRunsController {
  constructor(
    @Inject(CommandBus) private readonly commandBus: CommandBus,
    @Inject(SUBSCRIPTIONS_SETTINGS) private readonly settings: SubscriptionsSettings,
  ) {}

  @Post()
  @HttpCode(200)
  @Roles('admin', 'service')
  @ApiOperation({
    summary:
      'Bill every purchase due by asOf (default now) -> { billed, declined } (and requested, pending: bills whose outcome had not come after BILLING_RUN_WAIT_MS; cancelled: dated cancellations that took effect)',
  })
  @ApiResponse({ status: 200, description: 'What the run did', schema: billingRunResponse() })
  run(@Body() body: BillingRunDto, @CurrentContext() context: CommandContext): Promise<BillingRunResult> {
    const asOf = body?.asOf !== undefined ? new Date(body.asOf).toISOString() : new Date().toISOString();
    return this.commandBus.execute(new RunBillingCommand(asOf, context, this.settings.billingRunWaitMs));
  }
}
