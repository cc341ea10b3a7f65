import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CustomerProfile } from '@continuum/contracts';
import { CommandContext } from '@continuum/platform';
import { CustomerState, CustomerView, customerView } from '../domain';
import { CustomerAggregate } from './aggregates';
import { derivedId } from './derived-id';

/** Registers a new customer (POST /customers); answers its id. */
export class RegisterCustomerCommand extends Command<{ customerId: string }> {
  constructor(
    readonly profile: CustomerProfile,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/** Changes profile fields (PATCH /customers/:id); answers the customer as GET shows it. */
export class UpdateCustomerCommand extends Command<CustomerView> {
  constructor(
    readonly customerId: string,
    readonly changes: Partial<CustomerProfile>,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/** Adds a note of 1..500 characters to a customer; answers its id. */
export class AddCustomerNoteCommand extends Command<{ noteId: string }> {
  constructor(
    readonly customerId: string,
    readonly message: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}

const viewOf = (state: CustomerState): CustomerView => {
  const view = customerView(state);
  if (!view) throw new Error('customer view of an absent customer');
  return view;
};

@CommandHandler(RegisterCustomerCommand)
export class RegisterCustomerHandler implements ICommandHandler<RegisterCustomerCommand> {
  constructor(
    @Inject(CustomerAggregate) private readonly customers: CustomerAggregate,
  ) {}

  async execute({ profile, context }: RegisterCustomerCommand): Promise<{ customerId: string }> {
    const customerId = context.idempotencyKey ? derivedId(`customer:${context.idempotencyKey}`) : randomUUID();
    await this.customers.run(customerId, { type: 'RegisterCustomer', data: { ...profile, customerId } }, context);
    return { customerId };
  }
}

@CommandHandler(UpdateCustomerCommand)
export class UpdateCustomerHandler implements ICommandHandler<UpdateCustomerCommand> {
  constructor(
    @Inject(CustomerAggregate) private readonly customers: CustomerAggregate,
  ) {}

  async execute({ customerId, changes, context }: UpdateCustomerCommand): Promise<CustomerView> {
    const { state } = await this.customers.run(customerId, { type: 'UpdateCustomer', data: { ...changes, customerId } }, context);
    return viewOf(state);
  }
}

@CommandHandler(AddCustomerNoteCommand)
export class AddCustomerNoteHandler implements ICommandHandler<AddCustomerNoteCommand> {
  constructor(@Inject(CustomerAggregate) private readonly customers: CustomerAggregate) {}

  async execute({ customerId, message, context }: AddCustomerNoteCommand): Promise<{ noteId: string }> {
    const noteId = context.idempotencyKey ? derivedId(`note:${context.idempotencyKey}`) : randomUUID();
    await this.customers.run(customerId, { type: 'AddCustomerNote', data: { customerId, noteId, message } }, context);
    return { noteId };
  }
}
