import { Inject, Injectable, OnModuleInit, Type } from '@nestjs/common';
import { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { mountQueueDashboard } from '../jobs';
import { Platform } from './platform';

/** Where every service that has queues shows them; admin key only. */
export const QUEUE_DASHBOARD_PATH = '/queues';

/**
 * A provider that mounts the @bull-board dashboard of the given queue providers (each a
 * `ServiceQueue`) at `/queues` for admins. onModuleInit runs after Nest registered its routes but
 * before its not-found handler, so the dashboard is reachable.
 *
 *   providers: [ChargeQueue, SettlementQueue, queueDashboard(ChargeQueue, SettlementQueue)]
 */
export function queueDashboard(...queues: Type<{ readonly bullQueue: Queue }>[]): Type<OnModuleInit> {
  @Injectable()
  class QueueDashboard implements OnModuleInit {
    constructor(
      @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
      @Inject(Platform) private readonly platform: Platform,
      @Inject(ModuleRef) private readonly moduleRef: ModuleRef,
    ) {}

    onModuleInit(): void {
      const server = this.adapterHost.httpAdapter?.getInstance();
      if (!server) return;
      mountQueueDashboard(server, {
        basePath: QUEUE_DASHBOARD_PATH,
        queues: queues.map((queue) => this.moduleRef.get(queue, { strict: false }).bullQueue),
        apiKeys: this.platform.config.apiKeys,
        roles: ['admin'],
      });
    }
  }
  return QueueDashboard;
}
