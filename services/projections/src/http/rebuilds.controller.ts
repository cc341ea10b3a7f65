import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DomainError } from '@continuum/contracts';
import { ApiProblems, Roles } from '@continuum/platform';
import { RebuildProgress, RebuildsService } from '../rebuilds/rebuilds.service';
import { RebuildDto } from './projections.dto';
import { rebuildSchema } from './projections.responses';

/** Rebuilds of the views from the event topics, while the live view keeps answering. */
@ApiTags('rebuilds')
@Controller('rebuilds')
export class RebuildsController {
  constructor(@Inject(RebuildsService) private readonly rebuilds: RebuildsService) {}

  @Post()
  @HttpCode(202)
  @Roles('admin')
  @ApiProblems(409)
  @ApiOperation({ summary: 'Rebuild a view from the start of the event topics into a fresh copy; reads switch to it once it has caught up' })
  @ApiResponse({ status: 202, description: 'The rebuild started (or the one already running)', schema: rebuildSchema() })
  start(@Body() body: RebuildDto): Promise<RebuildProgress> {
    return this.rebuilds.start(body.view);
  }

  @Get(':id')
  @Roles('admin')
  @ApiOperation({ summary: 'How far a rebuild got: events replayed, lag, status' })
  @ApiResponse({ status: 200, description: 'The progress', schema: rebuildSchema() })
  async progress(@Param('id') id: string): Promise<RebuildProgress> {
    const progress = await this.rebuilds.progress(id);
    if (!progress) throw new DomainError('REBUILD_NOT_FOUND', `no rebuild ${id}`, 'not-found');
    return progress;
  }
}
