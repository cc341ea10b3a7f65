import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { ConsumerOptions, Platform } from './platform';

/** What `@EventConsumer` declares: a consumer group's options, all but its handlers (the class gives them). */
export type EventConsumerOptions = Omit<ConsumerOptions, 'handlers'>;

/** A class declared with `@EventConsumer`: it gives the group's handlers, typed per event type with `eventHandlers<...>()`. */
export interface DeclaredConsumer {
  handlers(): ConsumerOptions['handlers'];
}

const consumerDeclaration = DiscoveryService.createDecorator<EventConsumerOptions>();

/**
 * Declares a provider as one consumer group of its service. The class injects only what its
 * handlers use and returns them from `handlers()`; the platform registers the group
 * (`platform.consumer({ ...options, handlers: instance.handlers() })`) at module init, so it starts
 * with the others at bootstrap. The class is made injectable; list it in its module's providers.
 *
 *   @EventConsumer({ groupId: 'payment-outcomes', topics: [Topics.paymentsEvents], dedup: false })
 *   export class PaymentOutcomesConsumer implements DeclaredConsumer {
 *     constructor(@Inject(OrdersAggregates) private readonly aggregates: OrdersAggregates) {}
 *     handlers() { return eventHandlers<PaymentOutcome>({ PaymentApproved: (event) => ... }); }
 *   }
 */
export function EventConsumer(options: EventConsumerOptions): <C extends abstract new (...args: never[]) => DeclaredConsumer>(target: C) => void {
  return (target) => {
    Injectable()(target as never);
    consumerDeclaration(options)(target as never);
  };
}

/**
 * Registers every `@EventConsumer` provider of the application with the service's platform, once,
 * when the modules initialise (every provider exists by then; the groups start at bootstrap, after
 * `platform.start()`). Part of ServicePlatformModule.
 */
@Injectable()
export class DeclaredConsumers implements OnModuleInit {
  constructor(
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
    @Inject(Platform) private readonly platform: Platform,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders({ metadataKey: consumerDeclaration.KEY })) {
      const options = this.discovery.getMetadataByDecorator(consumerDeclaration, wrapper);
      if (!options) continue;
      const consumer = wrapper.instance as DeclaredConsumer | undefined;
      if (!consumer || typeof consumer.handlers !== 'function') {
        throw new Error(`${wrapper.name} is declared @EventConsumer but has no handlers() to register (a consumer is a singleton provider with a handlers() method)`);
      }
      this.platform.consumer({ ...options, handlers: consumer.handlers() });
    }
  }
}
