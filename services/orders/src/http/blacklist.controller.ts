import { Body, Controller, Delete, Get, Inject, Param, Post } from '@nestjs/common';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import { arrayOf } from '@continuum/contracts';
import { CommandContext, CurrentContext, Roles } from '@continuum/platform';
import { OrdersAggregates } from '../commands/aggregates';
import { BlacklistEntry } from '../domain';
import { AddBlacklistEntryDto } from './blacklist.dto';
import { blacklistEntryResponse, idResponse } from './orders.responses';
import { plainBody } from './plain-body';
import { OrdersViews } from '../views/orders-views';

/** The blacklist: only admins change it; reads are open to every internal caller. */
@ApiTags('blacklist')
@Controller('blacklist')
export class BlacklistController {
  constructor(
    @Inject(OrdersAggregates) private readonly aggregates: OrdersAggregates,
    @Inject(OrdersViews) private readonly views: OrdersViews,
  ) {}

  @Roles('admin')
  @Post()
  @ApiResponse({ status: 201, description: 'Blacklisted', schema: idResponse('entryId'), links: { RemoveEntry: { operationId: 'BlacklistController_remove', parameters: { entryId: '$response.body#/entryId' } } } })
  add(@Body() dto: AddBlacklistEntryDto, @CurrentContext() context: CommandContext): Promise<{ entryId: string }> {
    const { type, value, codOnly, reason } = plainBody(dto);
    return this.aggregates.blacklist.add({ type, value, codOnly: codOnly ?? false, ...(reason !== undefined ? { reason } : {}) }, context);
  }

  @Roles('admin')
  @Delete(':entryId')
  @ApiResponse({ status: 200, description: 'Removed', schema: { type: 'object', required: ['entryId', 'removed'], properties: { entryId: { type: 'string' }, removed: { type: 'boolean', enum: [true] } } } })
  async remove(@Param('entryId') entryId: string, @CurrentContext() context: CommandContext): Promise<{ entryId: string; removed: true }> {
    await this.aggregates.blacklist.run(entryId, { type: 'RemoveBlacklistEntry', data: { entryId } }, context);
    return { entryId, removed: true };
  }

  @Roles('agent', 'admin', 'service')
  @Get()
  @ApiResponse({ status: 200, description: 'The entries in force', schema: arrayOf(blacklistEntryResponse()) })
  list(): Promise<BlacklistEntry[]> {
    return this.views.blacklist.active();
  }
}
