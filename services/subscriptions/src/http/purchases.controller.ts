import { Body, Controller, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DomainError, arrayOf, listPage, pageOf } from '@continuum/contracts';
import { ApiProblems, CommandContext, CommandInput, CurrentContext, RequiresOneOf, Roles } from '@continuum/platform';
import { PurchaseAggregate, RebillResolution, ResolveRebillCommand } from '../commands';
import { PurchaseCommand, PurchaseProfile } from '../domain';
import { SubscriptionsViews } from '../views';
import { CancelPurchaseDto, ChangeProductDto, PausePurchaseDto, PurchasesQueryDto, UpdatePurchaseDto } from './purchase.dto';
import { purchaseResponse, resolveRebillResponse } from './subscriptions.responses';

const purchase = { status: 200, description: 'The purchase profile after the action', schema: purchaseResponse() };

/** The continuity purchase profile and every agent action on it (docs/subscriptions.md). */
@ApiTags('purchases')
@Controller('purchases')
export class PurchasesController {
  constructor(
    @Inject(PurchaseAggregate) private readonly purchases: PurchaseAggregate,
    @Inject(SubscriptionsViews) private readonly views: SubscriptionsViews,
    @Inject(CommandBus) private readonly commandBus: CommandBus,
  ) {}

  @Get()
  @Roles('agent', 'admin', 'service')
  @RequiresOneOf('customerId', 'orderId', 'status')
  @ApiOperation({
    summary:
      'Purchases by customerId, orderId (the starting order or a rebill order) and/or status (e.g. RECYCLE_FAILED for ops); with status, one page: `limit` 1..200 (default 50), `after` the last purchaseId of the previous page',
  })
  @ApiResponse({ status: 200, description: 'The purchases: oldest order first; a status alone in the order they reached it', schema: arrayOf(purchaseResponse()) })
  async list(@Query() query: PurchasesQueryDto): Promise<PurchaseProfile[]> {
    const { customerId, orderId, status } = query;
    if (status === undefined) return this.views.purchases.search({ customerId, orderId });
    if (customerId === undefined && orderId === undefined) return this.views.purchases.inStatusPage(status, listPage(query));
    return pageOf(await this.views.purchases.search({ customerId, orderId, status }), (purchase) => purchase.purchaseId, listPage(query));
  }

  @Get(':id')
  @Roles('agent', 'admin', 'service')
  @ApiOperation({ summary: 'The purchase profile: details, history (what, when, by whom), transactions (declines included), fulfillments' })
  @ApiResponse(purchase)
  get(@Param('id') id: string): Promise<PurchaseProfile> {
    return this.profile(id);
  }

  @Patch(':id')
  @Roles('agent', 'admin')
  @ApiProblems(422)
  @ApiOperation({ summary: 'Update purchase: price, shipping, quantity with unit price, next bill date, sales tax, merchant, final bill cycle, insure shipment' })
  @ApiResponse(purchase)
  async update(@Param('id') id: string, @Body() body: UpdatePurchaseDto, @CurrentContext() context: CommandContext): Promise<PurchaseProfile> {
    const changes = Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined));
    if (changes['salesTax'] !== undefined) changes['salesTax'] = { ...(changes['salesTax'] as object) };
    await this.purchases.update(id, changes, context);
    return this.profile(id);
  }

  @Post(':id/restart-trial')
  @HttpCode(200)
  @Roles('agent', 'admin')
  @ApiOperation({ summary: 'Restart trial: back to day 1 of the trial' })
  @ApiResponse(purchase)
  restartTrial(@Param('id') id: string, @CurrentContext() context: CommandContext): Promise<PurchaseProfile> {
    return this.act(id, { type: 'RestartTrial', data: {} }, context);
  }

  @Post(':id/skip-trial')
  @HttpCode(200)
  @Roles('agent', 'admin')
  @ApiOperation({ summary: 'Skip trial: bill now, into cycle 2' })
  @ApiResponse(purchase)
  skipTrial(@Param('id') id: string, @CurrentContext() context: CommandContext): Promise<PurchaseProfile> {
    return this.act(id, { type: 'SkipTrial', data: {} }, context);
  }

  @Post(':id/pause')
  @HttpCode(200)
  @Roles('agent', 'admin')
  @ApiOperation({ summary: 'Pause: no billing until resumed' })
  @ApiResponse(purchase)
  pause(@Param('id') id: string, @Body() body: PausePurchaseDto, @CurrentContext() context: CommandContext): Promise<PurchaseProfile> {
    return this.act(id, { type: 'PausePurchase', data: body?.reason !== undefined ? { reason: body.reason } : {} }, context);
  }

  @Post(':id/resume')
  @HttpCode(200)
  @Roles('agent', 'admin')
  @ApiOperation({ summary: 'Resume: the next bill date is recomputed, never in the past' })
  @ApiResponse(purchase)
  resume(@Param('id') id: string, @CurrentContext() context: CommandContext): Promise<PurchaseProfile> {
    return this.act(id, { type: 'ResumePurchase', data: {} }, context);
  }

  @Post(':id/force-bill')
  @HttpCode(200)
  @Roles('agent', 'admin')
  @ApiOperation({ summary: 'Force bill now, whatever the next bill date (the outcome follows from payments)' })
  @ApiResponse(purchase)
  forceBill(@Param('id') id: string, @CurrentContext() context: CommandContext): Promise<PurchaseProfile> {
    return this.act(id, { type: 'ForceBill', data: {} }, context);
  }

  @Post(':id/reactivate')
  @HttpCode(200)
  @Roles('agent', 'admin')
  @ApiOperation({ summary: 'Reactivate a RECYCLE_FAILED or CANCELLED purchase' })
  @ApiResponse(purchase)
  reactivate(@Param('id') id: string, @CurrentContext() context: CommandContext): Promise<PurchaseProfile> {
    return this.act(id, { type: 'ReactivatePurchase', data: {} }, context);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Roles('agent', 'admin')
  @ApiOperation({ summary: 'Cancel now, after the next bill, or on a date, with a reason' })
  @ApiResponse(purchase)
  cancel(@Param('id') id: string, @Body() body: CancelPurchaseDto, @CurrentContext() context: CommandContext): Promise<PurchaseProfile> {
    return this.act(id, { type: 'CancelPurchase', data: { when: body.when, ...(body.date !== undefined ? { date: body.date } : {}), reason: body.reason, source: 'AGENT' } }, context);
  }

  @Post(':id/change-product')
  @HttpCode(200)
  @Roles('agent', 'admin')
  @ApiOperation({ summary: "Change product, with or without the new product's price and details" })
  @ApiResponse(purchase)
  async changeProduct(@Param('id') id: string, @Body() body: ChangeProductDto, @CurrentContext() context: CommandContext): Promise<PurchaseProfile> {
    await this.purchases.changeProduct(id, body.productId, body.applyProductDetails, context);
    return this.profile(id);
  }

  @Post(':id/resolve-rebill')
  @HttpCode(200)
  @Roles('agent', 'admin')
  @ApiProblems(422, 503)
  @ApiOperation({
    summary:
      "Resolve a rebill whose outcome never came: payments is asked for the rebill order's charge status (its record, else the gateway's) and the answer is recorded: billed, declined, or due again (NOT_CHARGED); no order yet: orders is asked again",
  })
  @ApiResponse({ status: 200, description: 'What was recorded, with the purchase after it', schema: resolveRebillResponse() })
  async resolveRebill(@Param('id') id: string, @CurrentContext() context: CommandContext): Promise<RebillResolution & { purchase: PurchaseProfile }> {
    const resolution = await this.commandBus.execute(new ResolveRebillCommand(id, context));
    return { ...resolution, purchase: await this.profile(id) };
  }

  private async act(id: string, input: CommandInput<PurchaseCommand>, context: CommandContext): Promise<PurchaseProfile> {
    await this.purchases.run(id, input, context);
    return this.profile(id);
  }

  private async profile(id: string): Promise<PurchaseProfile> {
    const found = await this.views.purchases.profile(id);
    if (!found) throw new DomainError('PURCHASE_NOT_FOUND', 'No such purchase', 'not-found');
    return found;
  }
}
