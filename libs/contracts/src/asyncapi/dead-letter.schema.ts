import { JsonSchema } from '../core/registry';
import { id, int, isoDate, nullable, obj, oneOf, str } from '../core/schema-helpers';

/**
 * What a consumer writes to `<context>.dlq.v1` when it cannot handle a record: the reason, the
 * error, where the record came from and its value as it arrived (so it can be replayed after a fix).
 */
export const deadLetterSchema = (): JsonSchema =>
  obj(
    {
      reason: oneOf('invalid-json', 'schema-invalid', 'rejected', 'failed'),
      error: obj({ name: str(), message: str(), code: str() }, ['name', 'message']),
      failedAt: isoDate(),
      attempts: int({ minimum: 0 }),
      groupId: id(),
      source: obj({
        topic: id(),
        partition: int({ minimum: 0 }),
        offset: str(),
        key: nullable(str()),
        headers: { type: 'object', additionalProperties: { type: 'string' } },
      }),
      original: nullable(str()),
    },
    ['reason', 'error', 'failedAt', 'attempts', 'groupId', 'source', 'original'],
  );
