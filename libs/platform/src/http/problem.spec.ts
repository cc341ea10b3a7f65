import { BadRequestException, ForbiddenException, HttpException, NotFoundException } from '@nestjs/common';
import { DomainError } from '@continuum/contracts';
import { ProblemException, problem, toProblem } from './problem';

class ConcurrencyError extends Error {
  constructor() {
    super('stream orders-1 expected version 3');
    this.name = 'ConcurrencyError';
  }
}

describe('toProblem', () => {
  it('maps a broken rule to 422 with its code and message', () => {
    expect(toProblem(new DomainError('CHARGE_SETTLED', 'A settled charge cannot be voided.'))).toEqual({
      type: 'urn:continuum:problem:charge-settled',
      title: 'Unprocessable Entity',
      status: 422,
      detail: 'A settled charge cannot be voided.',
      code: 'CHARGE_SETTLED',
    });
  });

  it('names the field of a rule about one field', () => {
    expect(toProblem(new DomainError('QUANTITY_LIMIT', 'At most 100 units.', 'rule', { field: 'items.0.quantity', limit: 100 }))).toMatchObject({
      status: 422,
      code: 'QUANTITY_LIMIT',
      errors: [{ field: 'items.0.quantity', message: 'At most 100 units.' }],
    });
  });

  it('maps not-found to 404 and conflict to 409', () => {
    expect(toProblem(new DomainError('ORDER_NOT_FOUND', 'No order o-1.', 'not-found'))).toMatchObject({ status: 404, title: 'Not Found', code: 'ORDER_NOT_FOUND' });
    expect(toProblem(new DomainError('DUPLICATE_EMAIL', 'Taken.', 'conflict'))).toMatchObject({ status: 409, title: 'Conflict' });
  });

  it('recognises a DomainError by name when it is not the same class', () => {
    const foreign = Object.assign(new Error('nope'), { name: 'DomainError', code: 'X_RULE', kind: 'rule' });
    expect(toProblem(foreign)).toMatchObject({ status: 422, code: 'X_RULE', detail: 'nope' });
  });

  it('maps a ConcurrencyError (by name) to 409 without leaking stream details', () => {
    const mapped = toProblem(new ConcurrencyError());
    expect(mapped.status).toBe(409);
    expect(mapped.detail).not.toContain('orders-1');
  });

  it('maps a Mongo duplicate key error to 409', () => {
    const duplicate = Object.assign(new Error('E11000 duplicate key'), { name: 'MongoServerError', code: 11000 });
    expect(toProblem(duplicate)).toMatchObject({ status: 409, type: 'urn:continuum:problem:duplicate' });
  });

  it('keeps the status and message of Nest HttpExceptions', () => {
    expect(toProblem(new NotFoundException('Cannot GET /nope'))).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'Cannot GET /nope',
    });
    expect(toProblem(new ForbiddenException('role agent may not do this'))).toMatchObject({ status: 403, detail: 'role agent may not do this' });
    expect(toProblem(new BadRequestException(['a is bad', 'b is bad']))).toMatchObject({ status: 400, detail: 'a is bad; b is bad' });
    expect(toProblem(new HttpException('slow down', 429))).toMatchObject({ status: 429, title: 'Too Many Requests', detail: 'slow down' });
  });

  it('passes a ProblemException through unchanged', () => {
    const given = problem(400, 'bad', { type: 'urn:continuum:problem:validation', errors: [{ field: 'a.b', message: 'must be a string' }] });
    expect(toProblem(new ProblemException(given))).toBe(given);
  });

  it('hides the message of unexpected errors behind a generic 500', () => {
    const mapped = toProblem(new TypeError('cannot read properties of undefined (secret internals)'));
    expect(mapped).toMatchObject({ status: 500, title: 'Internal Server Error' });
    expect(mapped.detail).not.toContain('secret');
    expect(toProblem('a thrown string')).toMatchObject({ status: 500 });
  });
});
