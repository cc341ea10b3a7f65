import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601} from 'class-validator';
import { IsOmittable } from '@continuum/platform';

/** Body of POST /settlement-runs. */
export class SettlementRunDto {
  @ApiPropertyOptional({ type: 'string', format: 'date-time', description: 'settle every unsettled charge taken at or before this time (default: now)', example: '2026-03-02T00:00:00Z' })
  @IsOmittable()
  @IsISO8601({ strict: true })
  asOf?: string;
}
