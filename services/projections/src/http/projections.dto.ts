import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsString, MaxLength, MinLength } from 'class-validator';
import { IsOmittable } from '@continuum/platform';
import { REBUILDABLE_VIEWS, RebuildableView } from '../rebuilds/rebuilds.service';

export class HistoryQueryDto {
  @ApiPropertyOptional({ description: 'answer the history as it stood at this moment (ISO-8601 date-time)', example: '2026-03-02T10:00:00Z' })
  @IsOmittable()
  @IsISO8601({ strict: true })
  asOf?: string;
}

export class SearchQueryDto {
  @ApiProperty({ description: 'an email, a phone number, an order id, the last four digits of a card, or the start of a name (2+ characters)', example: 'jane@example.com' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  q!: string;
}

export class RebuildDto {
  @ApiProperty({ description: 'the view to rebuild (the three are folds of one customer journal and are rebuilt together)', enum: REBUILDABLE_VIEWS })
  @IsIn(REBUILDABLE_VIEWS)
  view!: RebuildableView;
}
