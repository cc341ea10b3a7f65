import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { Platform, mountQueueDashboard } from '@continuum/platform';
import { ChargeQueue, RefundRetryQueue, SettlementQueue } from '../jobs';

/** Where ops see the payments queues (charges, refund retries, settlements); admin key only. */
export const QUEUE_DASHBOARD_PATH = '/queues';

/**
 * Mounts the @bull-board dashboard on the HTTP server. onModuleInit runs after Nest registered its
 * routes but before its not-found handler, so the dashboard is reachable.
 */
@Injectable()
export class QueueDashboardMount implements OnModuleInit {
  constructor(
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
    @Inject(Platform) private readonly platform: Platform,
    @Inject(ChargeQueue) private readonly charges: ChargeQueue,
    @Inject(RefundRetryQueue) private readonly refundRetries: RefundRetryQueue,
    @Inject(SettlementQueue) private readonly settlements: SettlementQueue,
  ) {}

  onModuleInit(): void {
    const server = this.adapterHost.httpAdapter?.getInstance();
    if (!server) return;
    mountQueueDashboard(server, {
      basePath: QUEUE_DASHBOARD_PATH,
      queues: [this.charges.bullQueue, this.refundRetries.bullQueue, this.settlements.bullQueue],
      apiKeys: this.platform.config.apiKeys,
      roles: ['admin'],
    });
  }
}
