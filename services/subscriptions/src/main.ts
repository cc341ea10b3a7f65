import 'reflect-metadata';
import { runService } from '@continuum/platform';
import { SUBSCRIPTIONS_SERVICE, SubscriptionsModule } from './subscriptions.module';
import { loadSubscriptionsSettings } from './subscriptions-settings';

void runService(SubscriptionsModule, SUBSCRIPTIONS_SERVICE, {
  title: 'Continuum subscriptions',
  summary: 'Continuity purchases: the purchase profile, every agent action, rebill runs and recycle billing.',
  settings: [loadSubscriptionsSettings],
});
