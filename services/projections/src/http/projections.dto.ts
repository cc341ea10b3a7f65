import { SchemaField } from '@continuum/platform';
import { REBUILDABLE_VIEWS, RebuildableView } from '../rebuilds/rebuilds.service';

/** The longest search text; longer input is 400 (no email, phone, id or name is that long). */
export const SEARCH_TEXT_MAX = 200;

/** GET /customers/:id/history?asOf= */
export class HistoryQueryDto {
  @SchemaField(
    { type: 'string', format: 'date-time', description: 'answer the history as it stood at this moment (ISO-8601 date-time)' },
    { optional: true, example: '2026-03-02T10:00:00Z' },
  )
  asOf?: string;
}

/** GET /customers/search?q= */
export class SearchQueryDto {
  @SchemaField(
    {
      type: 'string',
      minLength: 1,
      maxLength: SEARCH_TEXT_MAX,
      description: 'an email, a phone number, an order id, the last four digits of a card, or the start of a name (a name matches from 2 characters)',
    },
    { example: 'jane@example.com' },
  )
  q!: string;
}

export class RebuildDto {
  @SchemaField({ type: 'string', enum: [...REBUILDABLE_VIEWS], description: 'the view to rebuild (the three are folds of one customer journal and are rebuilt together)' })
  view!: RebuildableView;
}
