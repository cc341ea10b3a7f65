import { Controller, Get, Inject, Param, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CHARGE_STATUSES, ChargeStatusAnswer } from '../domain';
import { ChargeStatusCommand } from '../commands';
import { ApiProblems, Roles } from '@continuum/platform';
import { GatewayTimeoutInterceptor } from './gateway-timeout.interceptor';
import { chargeStatusAnswer } from './payments.responses';

/** An order's charge status: subscriptions asks it when a rebill's outcome never arrived (docs/payments.md). */
@ApiTags('transactions')
@Controller('orders')
@UseInterceptors(GatewayTimeoutInterceptor)
export class ChargeStatusController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  @Get(':orderId/charge-status')
  @Roles('agent', 'admin', 'service')
  @ApiOperation({ summary: `What became of the order's card charge: payments' record, else the gateway's status query (${CHARGE_STATUSES.join(', ')}); records nothing` })
  @ApiProblems(504)
  @ApiResponse({ status: 200, description: 'The charge status', schema: chargeStatusAnswer() })
  status(@Param('orderId') orderId: string): Promise<ChargeStatusAnswer> {
    return this.commandBus.execute(new ChargeStatusCommand(orderId));
  }
}
