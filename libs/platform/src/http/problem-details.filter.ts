import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import { Logger } from 'pino';
import { PlatformResponse } from './platform-request';
import { PROBLEM_CONTENT_TYPE, toProblem } from './problem';

/**
 * Answers every error as `application/problem+json` (see toProblem). Server errors are logged with
 * their stack; client errors are the client's business and are not.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<PlatformResponse>();
    const body = toProblem(exception);
    if (body.status >= 500) this.logger.error({ err: exception }, 'request failed');
    if (response.headersSent) return;
    response.status(body.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
  }
}
