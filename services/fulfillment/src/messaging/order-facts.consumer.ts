import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { CustomerEvent, OrderEvent, PaymentsEvent, Topics } from '@continuum/contracts';
import { eventHandlers, Platform } from '@continuum/platform';
import { OrderFactsStore } from '../views';

export const ORDER_FACTS_GROUP = 'order-facts';

/**
 * Remembers what an export needs from other services (`evolveOrderFacts`, `evolveShipTo` in domain):
 * QA holds (OrderSentToQa until OrderApproved), a test card on a live gateway (PaymentApproved), and
 * the customer's name and addresses (CustomerRegistered, CustomerUpdated).
 */
@Injectable()
export class OrderFactsConsumer implements OnModuleInit {
  constructor(
    @Inject(Platform) private readonly platform: Platform,
    @Inject(OrderFactsStore) private readonly facts: OrderFactsStore,
  ) {}

  onModuleInit(): void {
    this.platform.consumer({
      groupId: ORDER_FACTS_GROUP,
      topics: [Topics.ordersEvents, Topics.paymentsEvents, Topics.customersEvents],
      handlers: {
        ...eventHandlers<OrderEvent>({
          OrderSentToQa: (event) => this.facts.applyOrder(event.data.orderId, event),
          OrderApproved: (event) => this.facts.applyOrder(event.data.orderId, event),
        }),
        ...eventHandlers<PaymentsEvent>({
          PaymentApproved: (event) => this.facts.applyOrder(event.data.orderId, event),
        }),
        ...eventHandlers<CustomerEvent>({
          CustomerRegistered: (event) => this.facts.applyCustomer(event.data.customerId, event),
          CustomerUpdated: (event) => this.facts.applyCustomer(event.data.customerId, event),
        }),
      },
    });
  }
}
