import { Body, Controller, Get, HttpCode, Inject, Param, Patch, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import { DomainError } from '@continuum/contracts';
import { ApiProblems, CommandContext, CurrentContext, Roles } from '@continuum/platform';
import { BlacklistCustomerCommand } from '../commands/blacklist-customer.handler';
import { MergeCustomersCommand, MergeResult } from '../commands/merge-customers.handler';
import { OrdersAggregates } from '../commands/aggregates';
import { CustomerView, customerView } from '../domain';
import { AddNoteDto, BlacklistCustomerDto, MergeCustomerDto, RegisterCustomerDto, UpdateCustomerDto } from './customer.dto';
import { refuseBadCustomFields } from './custom-fields.field';
import { customerResponse, entryIdsResponse, idResponse, mergeResponse } from './orders.responses';
import { plainBody } from './plain-body';

/** Customers: profile, notes and merges are customer-service actions; every internal caller reads. */
@ApiTags('customers')
@Controller('customers')
export class CustomersController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(OrdersAggregates) private readonly aggregates: OrdersAggregates,
  ) {}

  @Roles('agent', 'admin')
  @Post()
  @ApiResponse({
    status: 201,
    description: 'Registered',
    schema: idResponse('customerId'),
    links: {
      GetCustomer: { operationId: 'CustomersController_get', parameters: { id: '$response.body#/customerId' } },
      UpdateCustomer: { operationId: 'CustomersController_update', parameters: { id: '$response.body#/customerId' } },
      AddNote: { operationId: 'CustomersController_addNote', parameters: { id: '$response.body#/customerId' } },
      MergeInto: { operationId: 'CustomersController_merge', parameters: { id: '$response.body#/customerId' } },
    },
  })
  register(@Body() dto: RegisterCustomerDto, @CurrentContext() context: CommandContext): Promise<{ customerId: string }> {
    refuseBadCustomFields(dto.customFields, 'set');
    return this.aggregates.customers.register(plainBody(dto), context);
  }

  @Roles('agent', 'admin', 'service')
  @Get(':id')
  @ApiResponse({ status: 200, description: 'The customer', schema: customerResponse() })
  async get(@Param('id') customerId: string): Promise<CustomerView> {
    const view = customerView(await this.aggregates.customers.state(customerId));
    if (!view) throw new DomainError('CUSTOMER_NOT_FOUND', `Customer ${customerId} does not exist`, 'not-found');
    return view;
  }

  @Roles('agent', 'admin')
  @Patch(':id')
  @ApiProblems(409, 422)
  @ApiResponse({ status: 200, description: 'The customer as changed', schema: customerResponse() })
  update(@Param('id') customerId: string, @Body() dto: UpdateCustomerDto, @CurrentContext() context: CommandContext): Promise<CustomerView> {
    refuseBadCustomFields(dto.customFields, 'patch');
    return this.aggregates.customers.update(customerId, plainBody(dto), context);
  }

  @Roles('agent', 'admin')
  @Post(':id/notes')
  @ApiResponse({ status: 201, description: 'The note', schema: idResponse('noteId') })
  addNote(@Param('id') customerId: string, @Body() dto: AddNoteDto, @CurrentContext() context: CommandContext): Promise<{ noteId: string }> {
    return this.aggregates.customers.addNote(customerId, dto.message, context);
  }

  @Roles('admin')
  @Post(':id/blacklist')
  @ApiProblems(404)
  @ApiResponse({ status: 201, description: "The blacklist entries of the customer's email, phone and billing address (one CustomerBlacklisted names them)", schema: entryIdsResponse() })
  blacklist(@Param('id') customerId: string, @Body() dto: BlacklistCustomerDto, @CurrentContext() context: CommandContext): Promise<{ entryIds: string[] }> {
    return this.commands.execute(new BlacklistCustomerCommand(customerId, { codOnly: dto.codOnly ?? false, reason: dto.reason }, context));
  }

  @Roles('agent', 'admin')
  @Post(':id/merge')
  @HttpCode(200)
  @ApiResponse({ status: 200, description: 'Merged: the orders now belong to the path customer', schema: mergeResponse() })
  merge(@Param('id') customerId: string, @Body() dto: MergeCustomerDto, @CurrentContext() context: CommandContext): Promise<MergeResult> {
    return this.commands.execute(new MergeCustomersCommand(customerId, dto.fromCustomerId, context));
  }
}
