import { Body, Controller, Get, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import { CampaignSnapshot } from '@continuum/contracts';
import { CommandContext, CurrentContext, Roles } from '@continuum/platform';
import { CreateCampaignCommand } from '../commands/campaign.handlers';
import { CampaignAggregate } from '../commands/aggregates';
import { CreateCampaignDto } from './campaign.dto';
import { campaignResponse } from './orders.responses';
import { plainBody } from './plain-body';

/** Campaigns and their products: admins create them, every internal caller reads them. */
@ApiTags('campaigns')
@Controller('campaigns')
export class CampaignsController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(CampaignAggregate) private readonly campaigns: CampaignAggregate,
  ) {}

  @Roles('admin')
  @Post()
  @ApiResponse({ status: 201, description: 'The campaign with its product ids', schema: campaignResponse(), links: { GetCampaign: { operationId: 'CampaignsController_get', parameters: { id: '$response.body#/campaignId' } } } })
  async create(@Body() dto: CreateCampaignDto, @CurrentContext() context: CommandContext): Promise<CampaignSnapshot> {
    const campaign = await this.commands.execute(new CreateCampaignCommand(plainBody(dto), context));
    return campaign;
  }

  @Roles('agent', 'admin', 'service')
  @Get(':id')
  @ApiResponse({ status: 200, description: 'The campaign', schema: campaignResponse() })
  get(@Param('id') campaignId: string): Promise<CampaignSnapshot> {
    return this.campaigns.snapshot(campaignId);
  }
}
