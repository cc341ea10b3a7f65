import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import { DomainError, arrayOf } from '@continuum/contracts';
import { ApiBodyOneOf, ApiProblems, CommandContext, CurrentContext, ProblemException, problem, RequiresOneOf, Roles, toProblem } from '@continuum/platform';
import { OrdersAggregates } from '../commands/aggregates';
import { PlaceOrderCommand } from '../commands/place-order.handler';
import { OrderChange, OrderState, OrderView, orderView } from '../domain';
import { CardVaultClient } from '../vault/card-vault.client';
import { refuseBadCustomFields } from './custom-fields.field';
import { AddUpsellDto, CancelOrderDto, ListOrdersQueryDto, ORDER_PAGE, PlaceOrderDto, QaDecisionDto, RerunOrderDto } from './order.dto';
import { idResponse, orderResponse, placedOrderResponse } from './orders.responses';
import { plainBody } from './plain-body';
import { ResendEmailDto, resendEmailResponse } from './resend-email.dto';
import { OrdersViews } from '../views/orders-views';

const viewOrNotFound = (orderId: string, state: OrderState): OrderView => {
  const view = orderView(state);
  if (!view) throw new DomainError('ORDER_NOT_FOUND', `Order ${orderId} does not exist`, 'not-found');
  return view;
};

/** A blacklisted order is 422 with the matching rule beside the usual problem fields. */
function withBlacklistRule(error: unknown): unknown {
  if (!(error instanceof DomainError) || error.code !== 'BLACKLISTED') return error;
  return new ProblemException({ ...toProblem(error), rule: error.details?.['rule'] } as ReturnType<typeof toProblem>);
}

/** Orders: placing (agents, admins, internal services), QA, cancel, rerun, upsells, reads. */
@ApiTags('orders')
@Controller('orders')
export class OrdersController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(OrdersAggregates) private readonly aggregates: OrdersAggregates,
    @Inject(OrdersViews) private readonly views: OrdersViews,
    @Inject(CardVaultClient) private readonly vault: CardVaultClient,
  ) {}

  @Roles('agent', 'admin', 'service')
  @Post()
  @ApiProblems(404, 503)
  @ApiBodyOneOf('customerId', 'customer')
  @ApiResponse({
    status: 201,
    description: 'Placed; the payment outcome follows (status PROCESSING, or PENDING/COD_PENDING/COMPLETE)',
    schema: placedOrderResponse(),
    links: {
      GetOrder: { operationId: 'OrdersController_get', parameters: { id: '$response.body#/orderId' } },
      DecideQa: { operationId: 'OrdersController_qa', parameters: { id: '$response.body#/orderId' } },
      CancelOrder: { operationId: 'OrdersController_cancel', parameters: { id: '$response.body#/orderId' } },
      RerunOrder: { operationId: 'OrdersController_rerun', parameters: { id: '$response.body#/orderId' } },
      AddUpsell: { operationId: 'OrdersController_upsell', parameters: { id: '$response.body#/orderId' } },
      GetCustomer: { operationId: 'CustomersController_get', parameters: { id: '$response.body#/customerId' } },
    },
  })
  async place(@Body() dto: PlaceOrderDto, @CurrentContext() context: CommandContext): Promise<{ orderId: string; customerId: string; status: string }> {
    const body = plainBody(dto);
    refuseBadCustomFields(body.customFields, 'set');
    if ((body.customerId === undefined) === (body.customer === undefined)) {
      const both = body.customerId !== undefined;
      throw new ProblemException(
        problem(400, both ? 'Give customerId or customer, not both.' : 'Give customerId or customer.', {
          type: 'urn:continuum:problem:validation',
          errors: [{ field: 'customer', message: both ? 'customer must not be given with customerId' : 'customerId or customer is required' }],
        }),
      );
    }
    const { card, ...rest } = body;
    // the card is exchanged for a token before anything else happens: no number goes further
    const tokenised = card ? await this.vault.tokenise(card, context.correlationId) : undefined;
    try {
      const { orderId, customerId, status } = await this.commands.execute(new PlaceOrderCommand({ ...rest, ...(tokenised ? { card: tokenised } : {}) }, context));
      return { orderId, customerId, status };
    } catch (error) {
      throw withBlacklistRule(error);
    }
  }

  @Roles('agent', 'admin', 'service')
  @Get()
  @RequiresOneOf('customerId', 'status')
  @ApiProblems(400)
  @ApiResponse({
    status: 200,
    description: "The customer's orders (?customerId=), or one page of the orders in a status (?status=, in the order they reached it; PENDING is the QA queue, each with qa.reasons)",
    schema: arrayOf(orderResponse()),
  })
  async list(@Query() query: ListOrdersQueryDto): Promise<OrderView[]> {
    const { customerId, status, campaignId, limit, after } = plainBody(query);
    // @RequiresOneOf: a customer's orders (of that status, when both are given), else one page of the status
    const states =
      customerId !== undefined
        ? (await this.views.customerOrders.ordersOf(customerId)).filter((state) => status === undefined || state.status === status)
        : await this.views.customerOrders.inStatus(status!, { limit: limit === undefined ? ORDER_PAGE.default : Number(limit), ...(campaignId !== undefined ? { campaignId } : {}), ...(after !== undefined ? { after } : {}) });
    return states.map((state) => orderView(state)).filter((view): view is OrderView => view !== null);
  }

  @Roles('agent', 'admin', 'service')
  @Get(':id')
  @ApiResponse({ status: 200, description: 'The order', schema: orderResponse() })
  async get(@Param('id') orderId: string): Promise<OrderView> {
    return viewOrNotFound(orderId, await this.views.customerOrders.order(orderId));
  }

  @Roles('agent', 'admin')
  @Post(':id/qa')
  @HttpCode(200)
  @ApiResponse({ status: 200, description: 'The order after the decision', schema: orderResponse() })
  qa(@Param('id') orderId: string, @Body() dto: QaDecisionDto, @CurrentContext() context: CommandContext): Promise<OrderView> {
    return this.decide(orderId, { type: dto.action === 'APPROVE' ? 'ApproveQa' : 'DeclineQa', data: { orderId } }, context);
  }

  @Roles('agent', 'admin')
  @Post(':id/cancel')
  @HttpCode(200)
  @ApiResponse({ status: 200, description: 'The cancelled order', schema: orderResponse() })
  cancel(@Param('id') orderId: string, @Body() dto: CancelOrderDto, @CurrentContext() context: CommandContext): Promise<OrderView> {
    const { reason, fullRefund, cancelPurchases } = plainBody(dto);
    return this.decide(orderId, { type: 'CancelOrder', data: { orderId, reason, fullRefund: fullRefund ?? false, ...(cancelPurchases ? { cancelPurchases } : {}) } }, context);
  }

  @Roles('agent', 'admin')
  @Post(':id/rerun')
  @HttpCode(200)
  @ApiResponse({ status: 200, description: 'The order after the rerun', schema: orderResponse() })
  rerun(@Param('id') orderId: string, @Body() dto: RerunOrderDto, @CurrentContext() context: CommandContext): Promise<OrderView> {
    return this.decide(orderId, { type: 'RerunOrder', data: { orderId, ...(dto.merchantId !== undefined ? { merchantId: dto.merchantId } : {}) } }, context);
  }

  @Roles('agent', 'admin', 'service')
  @Post(':id/upsells')
  @ApiResponse({ status: 201, description: 'The upsell item; its charge follows', schema: idResponse('orderItemId') })
  upsell(@Param('id') orderId: string, @Body() dto: AddUpsellDto, @CurrentContext() context: CommandContext): Promise<{ orderItemId: string }> {
    return this.aggregates.orders.addUpsell(orderId, plainBody(dto), context);
  }

  @Roles('agent', 'admin')
  @Post(':id/resend-email')
  @HttpCode(202)
  @ApiResponse({ status: 202, description: 'The resend is recorded on the order; the email follows', schema: resendEmailResponse() })
  async resendEmail(@Param('id') orderId: string, @Body() dto: ResendEmailDto, @CurrentContext() context: CommandContext): Promise<{ orderId: string; kind: ResendEmailDto['kind'] }> {
    await this.aggregates.orders.run(orderId, { type: 'ResendOrderEmail', data: { orderId, kind: dto.kind } }, context);
    return { orderId, kind: dto.kind };
  }

  /** One decision on the order (`orders.run`), answered with the order as GET /orders/:id shows it. */
  private async decide(orderId: string, command: OrderChange, context: CommandContext): Promise<OrderView> {
    const { state } = await this.aggregates.orders.run(orderId, command, context);
    return viewOrNotFound(orderId, state);
  }
}
