import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsNotEmpty, IsString } from 'class-validator';
import { BLACKLIST_ENTRY_TYPES, BlacklistEntryType } from '@continuum/contracts';
import { IsOmittable } from '@continuum/platform';

/** POST /blacklist (admins). */
export class AddBlacklistEntryDto {
  @ApiProperty({ enum: BLACKLIST_ENTRY_TYPES }) @IsIn(BLACKLIST_ENTRY_TYPES) type!: BlacklistEntryType;
  @ApiProperty({ example: 'fraud@example.com' }) @IsString() @IsNotEmpty() value!: string;
  @ApiPropertyOptional({ description: 'blocks only COD orders' }) @IsOmittable() @IsBoolean() codOnly?: boolean;
  @ApiPropertyOptional() @IsOmittable() @IsString() reason?: string;
}
