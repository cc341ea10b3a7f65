import { BLACKLIST_ENTRY_TYPES, BlacklistEntryType, INPUT_LIMITS, text } from '@continuum/contracts';
import { SchemaField } from '@continuum/platform';

/** POST /blacklist (admins). */
export class AddBlacklistEntryDto {
  @SchemaField({ type: 'string', enum: [...BLACKLIST_ENTRY_TYPES] }) type!: BlacklistEntryType;
  @SchemaField(text(INPUT_LIMITS.emailLength), { example: 'fraud@example.com', description: 'normalised for its type; the same entry twice is 409' }) value!: string;
  @SchemaField({ type: 'boolean', description: 'blocks only COD orders' }, { optional: true }) codOnly?: boolean;
  @SchemaField(text(INPUT_LIMITS.reasonLength), { optional: true }) reason?: string;
}
