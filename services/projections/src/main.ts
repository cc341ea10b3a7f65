import 'reflect-metadata';
import { runService } from '@continuum/platform';
import { PROJECTIONS_SERVICE, ProjectionsModule } from './projections.module';
import { loadProjectionsSettings } from './projections-settings';

void runService(ProjectionsModule, PROJECTIONS_SERVICE, {
  title: 'Continuum projections',
  summary: "Read models from every service's events: the customer history with its timeline (and as-of reads), order summaries, customer search, rebuilds.",
  settings: [loadProjectionsSettings],
});
