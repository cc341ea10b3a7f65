import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CustomerProfile } from '@continuum/contracts';
import { CommandContext, Platform } from '@continuum/platform';
import { customerDecider, CustomerState, customerStreamId, CustomerView, customerView } from '../domain';
import { metadataFor } from './command-metadata';
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
    @Inject(Platform) private readonly platform: Platform,
  ) {}

  async execute({ profile, context }: RegisterCustomerCommand): Promise<{ customerId: string }> {
    const customerId = context.idempotencyKey ? derivedId(`customer:${context.idempotencyKey}`) : randomUUID();
    await this.platform.commands.run({
      streamId: customerStreamId(customerId),
      decider: customerDecider,
      command: { type: 'RegisterCustomer', data: { ...profile, customerId }, metadata: metadataFor(context) },
      context,
    });
    return { customerId };
  }
}

@CommandHandler(UpdateCustomerCommand)
export class UpdateCustomerHandler implements ICommandHandler<UpdateCustomerCommand> {
  constructor(
    @Inject(Platform) private readonly platform: Platform,
  ) {}

  async execute({ customerId, changes, context }: UpdateCustomerCommand): Promise<CustomerView> {
    const { state } = await this.platform.commands.run({
      streamId: customerStreamId(customerId),
      decider: customerDecider,
      command: { type: 'UpdateCustomer', data: { ...changes, customerId }, metadata: metadataFor(context) },
      context,
    });
    return viewOf(state);
  }
}

@CommandHandler(AddCustomerNoteCommand)
export class AddCustomerNoteHandler implements ICommandHandler<AddCustomerNoteCommand> {
  constructor(@Inject(Platform) private readonly platform: Platform) {}

  async execute({ customerId, message, context }: AddCustomerNoteCommand): Promise<{ noteId: string }> {
    const noteId = context.idempotencyKey ? derivedId(`note:${context.idempotencyKey}`) : randomUUID();
    await this.platform.commands.run({
      streamId: customerStreamId(customerId),
      decider: customerDecider,
      command: { type: 'AddCustomerNote', data: { customerId, noteId, message }, metadata: metadataFor(context) },
      context,
    });
    return { noteId };
  }
}
