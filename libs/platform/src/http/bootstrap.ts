import { DynamicModule, INestApplication, Module, Type } from '@nestjs/common';
import { NestFactory, Reflector } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'pino';
import { Connection } from 'mongoose';
import { PlatformConfig } from '../config';
import { createLogger } from '../observability';
import { ApiKeyGuard } from './api-key.guard';
import { answerClientErrorsAsProblems } from './client-error';
import { correlationIdHeaderMiddleware, correlationIdMiddleware } from './correlation-id.middleware';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IdempotencyStore, PLATFORM_CONNECTION } from './idempotency.store';
import { PlatformHttpModule } from './platform-http.module';
import { ProblemDetailsFilter } from './problem-details.filter';
import { RouteMethods, methodNotAllowedMiddleware, routeMethods } from './method-not-allowed';
import { documentTruthfully } from './openapi-document';
import { REQUEST_BODY_LIMITS, bodyReadErrorHandler, jsonBodyShapeGuard, requireJsonBody } from './request-body.guard';
import { requestMetricsMiddleware } from './request-metrics.middleware';
import { nestLogger, requestLogger, requestLoggerModule } from './request-logging';
import { createValidationPipe } from './validation.pipe';

export interface ServiceOptions {
  readonly config: PlatformConfig;
  /** OpenAPI title, e.g. 'Continuum orders'. */
  readonly title: string;
  readonly description?: string;
  /** Defaults to createLogger(config.service, config.logLevel); tests pass one that captures lines. */
  readonly logger?: Logger;
}

type RootModule = Type<unknown> | DynamicModule;

function withPlatformModule(module: RootModule, logger: Logger): Type<unknown> {
  @Module({ imports: [module, PlatformHttpModule, requestLoggerModule(logger)] })
  class PlatformRootModule {}
  return PlatformRootModule;
}

/** Nest app over `module` plus /health and /metrics, logging JSON through pino (nestjs-pino). Not yet configured. */
export async function createNestApp(module: RootModule, options: ServiceOptions): Promise<NestExpressApplication> {
  const logger = options.logger ?? createLogger(options.config.service, options.config.logLevel);
  // Body parsing is registered by configureApp, after the checks that refuse a body unread (see there).
  return NestFactory.create<NestExpressApplication>(withPlatformModule(module, logger), { logger: nestLogger(logger), bodyParser: false });
}

function optionalConnection(app: INestApplication): Connection | undefined {
  try {
    return app.get<Connection>(PLATFORM_CONNECTION, { strict: false });
  } catch {
    return undefined;
  }
}

/**
 * Everything bootstrapService does except listening, so integration tests can `app.init()` and
 * drive it with supertest. Call once, before init.
 */
export function configureApp(app: NestExpressApplication, options: ServiceOptions): NestExpressApplication {
  const { config } = options;
  const logger = options.logger ?? createLogger(config.service, config.logLevel);
  app.getHttpAdapter().getInstance().disable('x-powered-by');
  // What Node's parser refuses before Express runs (431 oversize headers, 400 a malformed request
  // line or header) is problem+json with an X-Correlation-Id as well.
  answerClientErrorsAsProblems(app.getHttpServer());
  let routes: readonly RouteMethods[] = [];
  // Hostile input is refused before anything reads it: the correlation id first (so every answer
  // echoes it), 405 for a method the path does not answer, 415 for a body that is not JSON, then
  // the JSON parser (over REQUEST_BODY_LIMITS.maxBytes: 413; bad JSON: 400), then 400 for a body
  // too deep, with a forbidden key or unsafe characters. There is no form parser: a form is 415.
  app.use(correlationIdHeaderMiddleware);
  app.use(methodNotAllowedMiddleware(() => routes));
  app.use(requireJsonBody);
  app.useBodyParser('json', { limit: REQUEST_BODY_LIMITS.maxBytes });
  app.use(bodyReadErrorHandler);
  app.use(jsonBodyShapeGuard);
  // The body parser reads the request stream asynchronously and would leave the request's
  // AsyncLocalStorage context behind, so the context starts after it.
  app.use(correlationIdMiddleware);
  app.use(requestLogger(logger));
  app.use(requestMetricsMiddleware);
  app.useGlobalFilters(new ProblemDetailsFilter(logger));
  app.useGlobalGuards(new ApiKeyGuard(app.get(Reflector), config.apiKeys));
  app.useGlobalPipes(createValidationPipe());
  const connection = optionalConnection(app);
  if (!connection) logger.warn('no PLATFORM_CONNECTION provided: POST requests with an Idempotency-Key will fail');
  app.useGlobalInterceptors(new IdempotencyInterceptor(connection ? new IdempotencyStore(connection) : undefined));

  const document = documentTruthfully(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle(options.title)
        .setDescription(options.description ?? '')
        .setVersion('1')
        // an opaque API key from API_KEYS, not a JWT: no bearerFormat
        .addSecurity('bearer', { type: 'http', scheme: 'bearer', description: 'An API key from API_KEYS (`Authorization: Bearer <key>`); its role decides what it may do.' })
        .addSecurityRequirements('bearer')
        .build(),
    ),
  );
  routes = routeMethods(document.paths as Record<string, Record<string, unknown>>);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  app.enableShutdownHooks();
  return app;
}

/**
 * Starts a service: `const app = await bootstrapService(OrdersModule, { config, title: 'Continuum orders' })`.
 * Validation, problem+json errors, API keys, correlation ids, Idempotency-Key, OpenAPI at /docs
 * and /docs-json, /health and /metrics, JSON logs, graceful shutdown; listens on config.port.
 */
export async function bootstrapService(module: RootModule, options: ServiceOptions): Promise<NestExpressApplication> {
  const logger = options.logger ?? createLogger(options.config.service, options.config.logLevel);
  const withLogger = { ...options, logger };
  const app = configureApp(await createNestApp(module, withLogger), withLogger);
  await app.listen(options.config.port);
  logger.info({ port: options.config.port }, `${options.config.service} listening`);
  return app;
}
