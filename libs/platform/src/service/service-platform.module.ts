import { DynamicModule, Inject, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import mongoose from 'mongoose';
import { ID_SOURCE, randomIdSource } from '../commands/id-source';
import { loadPlatformConfig, PlatformConfig } from '../config';
import { HEALTH_CONSUMERS, HEALTH_PROBES, PLATFORM_CONNECTION } from '../http';
import { createRedisConnection } from '../jobs';
import { kafkaClient } from '../kafka';
import { DEAD_LETTERS, DeadLettersController, OpsController, opsHealthProbes, opsSettings, OpsStatus, registerOpsMetrics, unregisterOpsMetrics } from '../ops';
import { countStoreCommands, createLogger } from '../observability';
import { DeclaredConsumers } from './event-consumer';
import { Platform, ServiceDescription } from './platform';

export const PLATFORM_CONFIG = Symbol('PLATFORM_CONFIG');

/**
 * The platform for one service, as a global Nest module:
 * `imports: [ServicePlatformModule.forService({ service: 'orders', defaultPort: 3001, dlqTopic: Topics.ordersDlq, topics })]`.
 * Provides `Platform`, `PLATFORM_CONFIG`, `PLATFORM_CONNECTION` (for Idempotency-Key), `HEALTH_PROBES`
 * and `HEALTH_CONSUMERS`. The event store, views and relay start when the application boots, and the
 * boot (so the listen) waits for them; consumers declared with `@EventConsumer` (registered by
 * `DeclaredConsumers` at module init) or registered with `platform.consumer()` during module init
 * start after them and join in the background (`platform.consumersJoined()`), so a start after a
 * crash answers HTTP while a dead member still holds its groups. Everything stops on shutdown.
 */
@Module({})
export class ServicePlatformModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(Platform) private readonly platform: Platform,
    @Inject(OpsStatus) private readonly ops: OpsStatus,
  ) {}

  static forService(description: ServiceDescription): DynamicModule {
    return {
      module: ServicePlatformModule,
      global: true,
      // finds the @EventConsumer providers (DeclaredConsumers)
      imports: [DiscoveryModule],
      // each service serves its own operations status and dead letters (admin only)
      controllers: [OpsController, DeadLettersController],
      providers: [
        { provide: PLATFORM_CONFIG, useFactory: () => loadPlatformConfig(description.service, process.env, { port: description.defaultPort }) },
        {
          provide: PLATFORM_CONNECTION,
          useFactory: async (config: PlatformConfig) => {
            const connection = await mongoose.createConnection(config.mongoUrl, { dbName: config.mongoDb, serverSelectionTimeoutMS: 10_000, monitorCommands: true }).asPromise();
            countStoreCommands(connection.getClient());
            return connection;
          },
          inject: [PLATFORM_CONFIG],
        },
        {
          provide: Platform,
          useFactory: (config: PlatformConfig, connection: mongoose.Connection) =>
            new Platform(
              description,
              config,
              connection,
              kafkaClient({ clientId: `continuum-${description.service}`, brokers: [...config.kafkaBrokers] }),
              createRedisConnection(config.redisUrl),
              createLogger(description.service, config.logLevel),
            ),
          inject: [PLATFORM_CONFIG, PLATFORM_CONNECTION],
        },
        { provide: DEAD_LETTERS, useFactory: (platform: Platform) => platform.deadLetters, inject: [Platform] },
        {
          provide: OpsStatus,
          useFactory: (platform: Platform) => {
            const status = new OpsStatus({
              service: description.service,
              kafka: platform.kafka,
              connection: platform.connection,
              registry: platform.ops,
              groupPrefix: platform.consumerGroupId(''),
              dlqTopic: platform.topic(description.dlqTopic),
            });
            // /metrics reports it, /health is degraded past the thresholds (OPS_* settings)
            registerOpsMetrics(status);
            for (const probe of opsHealthProbes(status, opsSettings.load())) platform.addHealthProbe(probe);
            return status;
          },
          inject: [Platform],
        },
        { provide: HEALTH_PROBES, useFactory: (platform: Platform) => platform.healthProbes(), inject: [Platform] },
        { provide: HEALTH_CONSUMERS, useFactory: (platform: Platform) => () => platform.consumerHealth(), inject: [Platform] },
        // fresh ids and random draws an adapter hands to a decider (a spec overrides it)
        { provide: ID_SOURCE, useValue: randomIdSource },
        DeclaredConsumers,
      ],
      exports: [PLATFORM_CONFIG, PLATFORM_CONNECTION, Platform, HEALTH_PROBES, HEALTH_CONSUMERS, ID_SOURCE],
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.platform.start();
    this.platform.joinConsumers();
  }

  async onApplicationShutdown(): Promise<void> {
    unregisterOpsMetrics(this.ops);
    await this.platform.stop();
  }
}
