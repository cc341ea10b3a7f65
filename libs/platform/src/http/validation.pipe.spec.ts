import { Type } from 'class-transformer';
import { IsInt, IsString, Min, ValidateNested } from 'class-validator';
import { ProblemException } from './problem';
import { createValidationPipe, flattenValidationErrors } from './validation.pipe';

class LineDto {
  @IsString()
  sku!: string;

  @IsInt()
  @Min(1)
  quantity!: number;
}

class OrderDto {
  @IsString()
  customerId!: string;

  @ValidateNested({ each: true })
  @Type(() => LineDto)
  lines!: LineDto[];
}

async function problemFor(body: unknown) {
  try {
    await createValidationPipe().transform(body, { type: 'body', metatype: OrderDto });
  } catch (error) {
    if (error instanceof ProblemException) return error.problem;
    throw error;
  }
  throw new Error('expected a validation problem');
}

describe('createValidationPipe', () => {
  it('names unknown fields, nested bad fields as dotted paths, one entry per field', async () => {
    const result = await problemFor({ customerId: 7, lines: [{ sku: 'A', quantity: 0, colour: 'red' }], coupon: 'X' });
    expect(result.status).toBe(400);
    expect(result.type).toBe('urn:continuum:problem:validation');
    expect(result.errors).toEqual(
      expect.arrayContaining([
        { field: 'customerId', message: 'customerId must be a string' },
        { field: 'coupon', message: 'property coupon should not exist' },
        { field: 'lines.0.quantity', message: 'quantity must not be less than 1' },
        { field: 'lines.0.colour', message: 'property colour should not exist' },
      ]),
    );
    expect(result.errors).toHaveLength(4);
    expect(result.detail).toBe('The request has 4 invalid fields.');
  });

  it('joins several broken constraints of one field', async () => {
    const result = await problemFor({ customerId: 'c', lines: [{ sku: 'A', quantity: 'many' }] });
    expect(result.errors).toEqual([{ field: 'lines.0.quantity', message: 'quantity must not be less than 1; quantity must be an integer number' }]);
  });

  it('turns valid JSON into the DTO class', async () => {
    const value = await createValidationPipe().transform({ customerId: 'c', lines: [{ sku: 'A', quantity: 2 }] }, { type: 'body', metatype: OrderDto });
    expect(value).toBeInstanceOf(OrderDto);
    expect(value.lines[0]).toBeInstanceOf(LineDto);
  });
});

describe('flattenValidationErrors', () => {
  it('reports a non-object body as the field "body"', () => {
    expect(flattenValidationErrors([{ property: '', constraints: { x: 'an unknown value was passed' } }])).toEqual([
      { field: 'body', message: 'an unknown value was passed' },
    ]);
  });
});
