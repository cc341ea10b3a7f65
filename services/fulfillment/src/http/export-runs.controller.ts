import { Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CommandContext, CurrentContext, Roles } from '@continuum/platform';
import { RunExportCommand } from '../commands';
import { exportedAnswer } from './fulfillment.responses';

/** An export run at once, instead of waiting for the scheduled one (EXPORT_INTERVAL_MS). */
@ApiTags('export')
@Controller('export-runs')
export class ExportRunsController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(200)
  @Roles('admin', 'service')
  @ApiOperation({ summary: 'Send every HOLD fulfillment whose order may ship to fulfillment.requests.v1 and mark it PENDING -> { exported: n }' })
  @ApiResponse({ status: 200, description: 'How many fulfillments this run exported', schema: exportedAnswer() })
  run(@CurrentContext() context: CommandContext): Promise<{ exported: number }> {
    return this.commandBus.execute(new RunExportCommand(context));
  }
}
