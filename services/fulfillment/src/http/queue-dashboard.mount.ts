import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { Platform, mountQueueDashboard } from '@continuum/platform';
import { ExportRunQueue } from '../jobs';

/** Where ops see the fulfillment queue (export runs); admin key only. */
export const QUEUE_DASHBOARD_PATH = '/queues';

/** Mounts the @bull-board dashboard of the export queue on the HTTP server (as payments does for its queues). */
@Injectable()
export class QueueDashboardMount implements OnModuleInit {
  constructor(
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
    @Inject(Platform) private readonly platform: Platform,
    @Inject(ExportRunQueue) private readonly exports: ExportRunQueue,
  ) {}

  onModuleInit(): void {
    const server = this.adapterHost.httpAdapter?.getInstance();
    if (!server) return;
    mountQueueDashboard(server, { basePath: QUEUE_DASHBOARD_PATH, queues: [this.exports.bullQueue], apiKeys: this.platform.config.apiKeys, roles: ['admin'] });
  }
}
