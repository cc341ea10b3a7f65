import { Body, Controller, Get, Inject, Param, Post } from '@nestjs/common';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import { CampaignSnapshot } from '@continuum/contracts';
import { CommandContext, CurrentContext, Roles } from '@continuum/platform';
import { OrdersAggregates } from '../commands/aggregates';
import { CreateCampaignDto } from './campaign.dto';
import { campaignResponse } from './orders.responses';
import { plainBody } from './plain-body';

/** Campaigns and their products: admins create them, every internal caller reads them. */
@ApiTags('campaigns')
@Controller('campaigns')
export class CampaignsController {
  constructor(
    @Inject(OrdersAggregates) private readonly aggregates: OrdersAggregates,
  ) {}

  @Roles('admin')
  @Post()
  @ApiResponse({ status: 201, description: 'The campaign with its product ids', schema: campaignResponse(), links: { GetCampaign: { operationId: 'CampaignsController_get', parameters: { id: '$response.body#/campaignId' } } } })
  async create(@Body() dto: CreateCampaignDto, @CurrentContext() context: CommandContext): Promise<CampaignSnapshot> {
    return this.aggregates.campaigns.create(plainBody(dto), context);
  }

  @Roles('agent', 'admin', 'service')
  @Get(':id')
  @ApiResponse({ status: 200, description: 'The campaign', schema: campaignResponse() })
  get(@Param('id') campaignId: string): Promise<CampaignSnapshot> {
    return this.aggregates.campaigns.snapshot(campaignId);
  }
}
