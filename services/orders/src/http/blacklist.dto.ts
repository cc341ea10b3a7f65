import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString } from 'class-validator';
import { BLACKLIST_ENTRY_TYPES, BlacklistEntryType } from '@continuum/contracts';

/** POST /blacklist (admins). */
export class AddBlacklistEntryDto {
  @ApiProperty({ enum: BLACKLIST_ENTRY_TYPES }) @IsIn(BLACKLIST_ENTRY_TYPES) type!: BlacklistEntryType;
  @ApiProperty({ example: 'fraud@example.com' }) @IsString() @IsNotEmpty() value!: string;
  @ApiPropertyOptional({ description: 'blocks only COD orders' }) @IsOptional() @IsBoolean() codOnly?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsString() reason?: string;
}
