import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DomainError, arrayOf, listPage } from '@continuum/contracts';
import { CommandContext, CommandInput, CurrentContext, RequiresOneOf, Roles } from '@continuum/platform';
import { FulfillmentAggregate, ReshipFulfillmentCommand } from '../commands';
import { Fulfillment, FulfillmentCommand } from '../domain';
import { FulfillmentViews } from '../views';
import { CancelDto, CodPaidDto, CodUndeliveredDto, DeliverDto, FulfillmentsQueryDto, ReshipDto, ReturnDto, RmaDto, ShipDto } from './fulfillment.dto';
import { FulfillmentResponse, fulfillmentResponse, fulfillmentSchema, reshipAnswer } from './fulfillment.responses';

/** A time the caller gave, in the one ISO form; none given: null, and the decider takes the time the command is decided. */
const asIso = (value: string | undefined): string | null => (value === undefined ? null : new Date(value).toISOString());

/**
 * Fulfillments: lists from the view, one by id, and the agents' and houses' actions. Each action is
 * one decision on one fulfillment (`fulfillments.run`); a reship creates a second fulfillment, so it
 * is the one workflow (`ReshipFulfillmentCommand`).
 */
@ApiTags('fulfillments')
@Controller('fulfillments')
export class FulfillmentsController {
  constructor(
    @Inject(CommandBus) private readonly commandBus: CommandBus,
    @Inject(FulfillmentAggregate) private readonly fulfillments: FulfillmentAggregate,
    @Inject(FulfillmentViews) private readonly views: FulfillmentViews,
  ) {}

  @Get()
  @Roles('agent', 'admin', 'service', 'fulfillment-house')
  @RequiresOneOf('orderId', 'status')
  @ApiOperation({
    summary: "An order's fulfillments (?orderId=, oldest first) or one page of those in one status (?status=[&limit=][&after=], the ops lists, in the order they reached it); one of the two is required",
  })
  @ApiResponse({ status: 200, description: 'The fulfillments', schema: arrayOf(fulfillmentSchema()) })
  async list(@Query() query: FulfillmentsQueryDto): Promise<FulfillmentResponse[]> {
    if (query.orderId !== undefined) {
      const ofOrder = (await this.views.fulfillments.ofOrder(query.orderId)).filter((f) => query.status === undefined || f.status === query.status);
      return ofOrder.map(fulfillmentResponse);
    }
    // @RequiresOneOf: without orderId, status is given
    return (await this.views.fulfillments.inStatusPage(query.status!, listPage(query))).map(fulfillmentResponse);
  }

  @Get(':id')
  @Roles('agent', 'admin', 'service', 'fulfillment-house')
  @ApiOperation({ summary: 'One fulfillment by id (the id is also the reference the house knows)' })
  @ApiResponse({ status: 200, description: 'The fulfillment', schema: fulfillmentSchema() })
  async get(@Param('id') id: string): Promise<FulfillmentResponse> {
    const found = await this.views.fulfillments.get(id);
    if (!found) throw new DomainError('FULFILLMENT_NOT_FOUND', `No fulfillment ${id}`, 'not-found');
    return fulfillmentResponse(found);
  }

  @Post(':id/ship')
  @HttpCode(200)
  @Roles('agent', 'admin', 'fulfillment-house')
  @ApiOperation({ summary: 'Shipped: tracking number, carrier, ship date (PENDING -> SHIPPED); 422 when cancelled or never sent' })
  @ApiResponse({ status: 200, description: 'The fulfillment', schema: fulfillmentSchema() })
  ship(@Param('id') id: string, @Body() body: ShipDto, @CurrentContext() context: CommandContext) {
    return this.change(id, { type: 'ShipFulfillment', data: { trackingNumber: body.trackingNumber, carrier: body.carrier ?? null, shippedAt: asIso(body.shippedAt) } }, context);
  }

  @Post(':id/deliver')
  @HttpCode(200)
  @Roles('agent', 'admin', 'fulfillment-house')
  @ApiOperation({ summary: 'Delivered (SHIPPED, or PENDING when the house reports delivery first -> DELIVERED)' })
  @ApiResponse({ status: 200, description: 'The fulfillment', schema: fulfillmentSchema() })
  deliver(@Param('id') id: string, @Body() body: DeliverDto, @CurrentContext() context: CommandContext) {
    return this.change(id, { type: 'DeliverFulfillment', data: { deliveredAt: asIso(body.deliveredAt) } }, context);
  }

  @Post(':id/rma')
  @HttpCode(200)
  @Roles('agent', 'admin', 'fulfillment-house')
  @ApiOperation({ summary: 'Authorise a return with an RMA number (SHIPPED or DELIVERED -> RMA_PENDING); agents, or the fulfillment house reporting the RMA it issued' })
  @ApiResponse({ status: 200, description: 'The fulfillment', schema: fulfillmentSchema() })
  rma(@Param('id') id: string, @Body() body: RmaDto, @CurrentContext() context: CommandContext) {
    return this.change(id, { type: 'IssueRma', data: { rmaNumber: body.rmaNumber } }, context);
  }

  @Post(':id/return')
  @HttpCode(200)
  @Roles('agent', 'admin', 'fulfillment-house')
  @ApiOperation({ summary: 'The package came back (SHIPPED, DELIVERED or RMA_PENDING -> RETURNED)' })
  @ApiResponse({ status: 200, description: 'The fulfillment', schema: fulfillmentSchema() })
  returned(@Param('id') id: string, @Body() body: ReturnDto, @CurrentContext() context: CommandContext) {
    return this.change(id, { type: 'ReturnFulfillment', data: { returnedAt: asIso(body.returnedAt), reason: null } }, context);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Roles('agent', 'admin')
  @ApiOperation({ summary: 'Cancel a fulfillment that has not shipped; 422 after shipping' })
  @ApiResponse({ status: 200, description: 'The fulfillment', schema: fulfillmentSchema() })
  cancel(@Param('id') id: string, @Body() body: CancelDto, @CurrentContext() context: CommandContext) {
    return this.change(id, { type: 'CancelFulfillment', data: { reason: body.reason } }, context);
  }

  @Post(':id/reship')
  @HttpCode(201)
  @Roles('agent', 'admin')
  @ApiOperation({
    summary:
      "Reship (only after it reached the house): a new fulfillment in HOLD whose reference has the suffix -R1, -R2, ...; with `items`, it ships those of the order's products instead of the original's",
  })
  @ApiResponse({ status: 201, description: 'The new fulfillment', schema: reshipAnswer() })
  reship(@Param('id') id: string, @Body() body: ReshipDto, @CurrentContext() context: CommandContext): Promise<{ fulfillmentId: string; reference: string }> {
    const items = body?.items?.map(({ sku, quantity }) => ({ sku, quantity }));
    return this.commandBus.execute(new ReshipFulfillmentCommand(id, context, items));
  }

  @Post(':id/cod/paid')
  @HttpCode(200)
  @Roles('agent', 'admin')
  @ApiOperation({ summary: 'Mark COD Paid: fulfillment DELIVERED; payments records SUCCESS and the order becomes COMPLETE' })
  @ApiResponse({ status: 200, description: 'The fulfillment', schema: fulfillmentSchema() })
  codPaid(@Param('id') id: string, @Body() body: CodPaidDto, @CurrentContext() context: CommandContext) {
    return this.change(id, { type: 'MarkCodPaid', data: { deliveryConfirmation: body.deliveryConfirmation, date: body.date } }, context);
  }

  @Post(':id/cod/undelivered')
  @HttpCode(200)
  @Roles('agent', 'admin')
  @ApiOperation({ summary: 'Mark COD Undelivered: reattempt/pickup stays pending (soft decline); DECLINED cancels it (hard decline, order DECLINED)' })
  @ApiResponse({ status: 200, description: 'The fulfillment', schema: fulfillmentSchema() })
  codUndelivered(@Param('id') id: string, @Body() body: CodUndeliveredDto, @CurrentContext() context: CommandContext) {
    return this.change(id, { type: 'MarkCodUndelivered', data: { status: body.status } }, context);
  }

  /** One decision on one fulfillment; answers it as it is after it (the decider refuses every action on one that does not exist). */
  private async change(id: string, action: CommandInput<FulfillmentCommand>, context: CommandContext): Promise<FulfillmentResponse> {
    const { state } = await this.fulfillments.run(id, action, context);
    return fulfillmentResponse(state as Fulfillment);
  }
}
