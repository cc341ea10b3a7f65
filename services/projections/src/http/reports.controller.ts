import { Controller, Get, Headers, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DomainError, JsonSchema, arrayOf, openApiNullable, openObj, str } from '@continuum/contracts';
import { PlatformResponse, problem, ProblemException, Roles } from '@continuum/platform';
import { boundOf } from '../domain';
import { isReportName, Report, REPORT_NAMES, reportCsv } from '../domain/reports';
import { ReportsView } from '../views/reports.view';
import { ReportQueryDto } from './reports.dto';

/** The 400 of one bad query parameter, as the validation pipe answers it. */
const badField = (field: string, message: string) =>
  new ProblemException(problem(400, 'The request has 1 invalid field.', { type: 'urn:continuum:problem:validation', errors: [{ field, message }] }));

const reportSchema = (): JsonSchema =>
  openObj(
    {
      report: str(),
      asOf: str(),
      from: openApiNullable(str()),
      to: openApiNullable(str()),
      columns: arrayOf(str()),
      rows: arrayOf({ type: 'object', additionalProperties: { oneOf: [str(), { type: 'number' }] } } as JsonSchema),
    },
    ['report', 'asOf', 'from', 'to', 'columns', 'rows'],
  );

/** Reports folded from every service's events (docs/projections.md, "Reports"). */
@ApiTags('reports')
@Controller('reports')
export class ReportsController {
  constructor(@Inject(ReportsView) private readonly reports: ReportsView) {}

  @Get(':name')
  @Roles('agent', 'admin')
  @ApiOperation({
    summary: `A report as of a moment (default now): ${REPORT_NAMES.join(', ')}; JSON rows, or CSV with a header line for Accept: text/csv or format=csv`,
  })
  @ApiParam({ name: 'name', description: `one of ${REPORT_NAMES.join(', ')}` })
  @ApiProduces('application/json', 'text/csv')
  @ApiResponse({ status: 200, description: 'The report: its columns and rows (CSV: the same rows under a header line)', schema: reportSchema() })
  @ApiResponse({ status: 404, description: 'No report of that name' })
  async report(
    @Param('name') name: string,
    @Query() query: ReportQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) response: PlatformResponse,
  ): Promise<Report | string> {
    if (!isReportName(name)) throw new DomainError('REPORT_NOT_FOUND', `no report named ${name}; the reports are ${REPORT_NAMES.join(', ')}`, 'not-found');
    // a read: the clock of the request is "now" when no asOf is given
    const asOf = query.asOf === undefined ? new Date().toISOString() : boundOf(query.asOf, 'to');
    if (asOf === undefined) throw badField('asOf', 'asOf must be a calendar date or date-time');
    for (const field of ['from', 'to'] as const) {
      if (query[field] !== undefined && boundOf(query[field]!, field) === undefined) throw badField(field, `${field} must be a calendar date`);
    }
    if (query.from !== undefined && query.to !== undefined && query.from > query.to) throw badField('from', 'from must not be after to');
    const report = await this.reports.report(name, { asOf, from: query.from, to: query.to });
    if (query.format === 'csv' || (query.format === undefined && accept?.includes('text/csv'))) {
      response.type('text/csv; charset=utf-8');
      response.setHeader('Content-Disposition', `attachment; filename="${name}-${asOf.slice(0, 10)}.csv"`);
      return reportCsv(report);
    }
    return report;
  }
}
