import { CampaignSnapshot, DomainError } from '@continuum/contracts';
import { Platform } from '@continuum/platform';
import {
  campaignDecider,
  campaignStreamId,
  customerDecider,
  CustomerState,
  customerStreamId,
  orderDecider,
  OrderState,
  orderStreamId,
  PlacedOrder,
} from '../domain';

/** The campaign snapshot orders are priced from; CAMPAIGN_NOT_FOUND (404) when it was never created. */
export async function loadCampaign(platform: Platform, campaignId: string): Promise<CampaignSnapshot> {
  const { state } = await platform.commands.load(campaignStreamId(campaignId), campaignDecider);
  if (state.status === 'ABSENT') throw new DomainError('CAMPAIGN_NOT_FOUND', `Campaign ${campaignId} does not exist`, 'not-found');
  return state.campaign;
}

export async function loadCustomer(platform: Platform, customerId: string): Promise<CustomerState> {
  return (await platform.commands.load(customerStreamId(customerId), customerDecider)).state;
}

export async function loadOrder(platform: Platform, orderId: string): Promise<OrderState> {
  return (await platform.commands.load(orderStreamId(orderId), orderDecider)).state;
}

/** A placed order; ORDER_NOT_FOUND (404) otherwise. */
export async function loadPlacedOrder(platform: Platform, orderId: string): Promise<PlacedOrder> {
  const state = await loadOrder(platform, orderId);
  if (state.status === 'ABSENT') throw new DomainError('ORDER_NOT_FOUND', `Order ${orderId} does not exist`, 'not-found');
  return state;
}
