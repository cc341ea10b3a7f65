import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CommandContext, CurrentContext, Roles } from '@continuum/platform';
import { RunSettlementCommand } from '../commands';
import { settlementAnswer } from './payments.responses';
import { SettlementRunDto } from './settlement-run.dto';

/** Settlement at once, instead of waiting SETTLEMENT_DELAY_MS. */
@ApiTags('settlement')
@Controller('settlement-runs')
export class SettlementRunsController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(200)
  @Roles('admin', 'service')
  @ApiOperation({ summary: 'Settle every unsettled charge taken at or before asOf (default now) -> { settled: n }' })
  @ApiResponse({ status: 200, description: 'How many charges were settled', schema: settlementAnswer() })
  run(@Body() body: SettlementRunDto, @CurrentContext() context: CommandContext): Promise<{ settled: number }> {
    const asOf = body.asOf !== undefined ? new Date(body.asOf).toISOString() : new Date().toISOString();
    return this.commandBus.execute(new RunSettlementCommand(asOf, context));
  }
}
