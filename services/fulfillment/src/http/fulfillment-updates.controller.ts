import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DomainError, FULFILLMENT_UPDATE_MESSAGE, FulfillmentUpdate, SchemaValidationError, registry } from '@continuum/contracts';
import { ApiProblems, CommandContext, CurrentContext, Roles } from '@continuum/platform';
import { FulfillmentAggregate } from '../commands';
import { Fulfillment, houseCommand } from '../domain';
import { FulfillmentUpdateDto } from './fulfillment.dto';
import { FulfillmentResponse, fulfillmentResponse, fulfillmentSchema } from './fulfillment.responses';

/** A fulfillment house's update over HTTP: the same JSON and the same rules as on fulfillment.updates.v1. */
@ApiTags('fulfillment houses')
@Controller('fulfillment-updates')
export class FulfillmentUpdatesController {
  constructor(@Inject(FulfillmentAggregate) private readonly fulfillments: FulfillmentAggregate) {}

  @Post()
  @HttpCode(200)
  @Roles('fulfillment-house', 'service', 'admin')
  @ApiProblems(404)
  @ApiOperation({ summary: 'Report SHIPPED (trackingNumber), DELIVERED, FAILED (reason) or RETURNED for a reference; the same update twice changes nothing; 404 unknown reference, 422 illegal transition' })
  @ApiResponse({ status: 200, description: 'The fulfillment after the update', schema: fulfillmentSchema() })
  async apply(@Body() body: FulfillmentUpdateDto, @CurrentContext() context: CommandContext): Promise<FulfillmentResponse> {
    const update = JSON.parse(JSON.stringify(body)) as FulfillmentUpdate; // a plain object without the absent optional fields
    try {
      registry.validate(FULFILLMENT_UPDATE_MESSAGE, 1, update); // SHIPPED needs a tracking number, FAILED a reason
    } catch (error) {
      if (error instanceof SchemaValidationError) throw new DomainError('UPDATE_INVALID', error.message, 'rule');
      throw error;
    }
    // the reference is the fulfillment's id; the decider refuses every update of one that does not exist
    const { state } = await this.fulfillments.run(update.reference, houseCommand(update), context);
    return fulfillmentResponse(state as Fulfillment);
  }
}
