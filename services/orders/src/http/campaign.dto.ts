import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsNotEmpty, IsNumber, IsString, Max, Min, ValidateNested } from 'class-validator';
import { BILLING_TYPES, BillingType, TRIAL_TYPES, TrialType } from '@continuum/contracts';
import { IsOmittable } from '@continuum/platform';

export class TrialDto {
  @ApiProperty({ description: 'minor units', example: 499 }) @IsInt() @Min(0) price!: number;
  @ApiProperty({ example: 14 }) @IsInt() @Min(1) days!: number;
  @ApiProperty({ enum: TRIAL_TYPES }) @IsIn(TRIAL_TYPES) type!: TrialType;
}

export class CampaignProductDto {
  @ApiProperty({ example: 'BR-1' }) @IsString() @IsNotEmpty() sku!: string;
  @ApiProperty({ example: 'Bladder Relief 1 bottle' }) @IsString() @IsNotEmpty() name!: string;
  @ApiProperty({ description: 'minor units', example: 3999 }) @IsInt() @Min(0) price!: number;
  @ApiProperty({ description: 'minor units', example: 495 }) @IsInt() @Min(0) shippingPrice!: number;
  @ApiProperty({ enum: BILLING_TYPES }) @IsIn(BILLING_TYPES) billingType!: BillingType;
  @ApiPropertyOptional({ type: () => TrialDto }) @IsOmittable() @ValidateNested() @Type(() => TrialDto) trial?: TrialDto;
  @ApiPropertyOptional({ description: 'minor units' }) @IsOmittable() @IsInt() @Min(0) rebillPrice?: number;
  @ApiPropertyOptional() @IsOmittable() @IsInt() @Min(1) intervalDays?: number;
  @ApiPropertyOptional() @IsOmittable() @IsInt() @Min(1) finalBillCycle?: number;
}

/** POST /campaigns (admins). */
export class CreateCampaignDto {
  @ApiProperty({ example: 'Bladder Relief 911' }) @IsString() @IsNotEmpty() name!: string;
  @ApiProperty({ example: 'USD' }) @IsString() @IsNotEmpty() currency!: string;
  @ApiPropertyOptional({ minimum: 0, maximum: 1, description: 'share of orders sent to QA' }) @IsOmittable() @IsNumber() @Min(0) @Max(1) qaRate?: number;
  @ApiPropertyOptional() @IsOmittable() @IsBoolean() skipQaForExternal?: boolean;
  @ApiProperty({ type: () => [CampaignProductDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => CampaignProductDto)
  products!: CampaignProductDto[];
}
