import { Body, Controller, Get, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { CampaignSnapshot } from '@continuum/contracts';
import { CommandContext, CurrentContext, Platform, Roles } from '@continuum/platform';
import { CreateCampaignCommand } from '../commands/campaign.handlers';
import { loadCampaign } from '../commands/stream-loaders';
import { CreateCampaignDto } from './campaign.dto';
import { plainBody } from './plain-body';

/** Campaigns and their products: admins create them, every internal caller reads them. */
@ApiTags('campaigns')
@Controller('campaigns')
export class CampaignsController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(Platform) private readonly platform: Platform,
  ) {}

  @Roles('admin')
  @Post()
  async create(@Body() dto: CreateCampaignDto, @CurrentContext() context: CommandContext): Promise<CampaignSnapshot> {
    const campaign = await this.commands.execute(new CreateCampaignCommand(plainBody(dto), context));
    return campaign;
  }

  @Roles('agent', 'admin', 'service')
  @Get(':id')
  get(@Param('id') campaignId: string): Promise<CampaignSnapshot> {
    return loadCampaign(this.platform, campaignId);
  }
}
