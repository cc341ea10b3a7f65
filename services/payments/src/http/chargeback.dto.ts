import { amount } from '@continuum/contracts';
import { SchemaField } from '@continuum/platform';

/** Body of POST /transactions/:id/chargeback. */
export class ChargebackDto {
  @SchemaField({ ...amount(1), description: 'integer minor units, at most the charge' }, { example: 4999 })
  amount!: number;

  @SchemaField({ type: 'string', format: 'date', description: 'the date of the chargeback (YYYY-MM-DD)' }, { example: '2026-03-02' })
  date!: string;

  @SchemaField({ type: 'string', minLength: 1, maxLength: 50, description: "the card network's reason code" }, { example: '10.4' })
  reasonCode!: string;

  @SchemaField({ type: 'string', maxLength: 500 }, { optional: true, example: 'customer says the card was stolen' })
  note?: string;
}
