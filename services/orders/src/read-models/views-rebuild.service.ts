import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { COMMITS_COLLECTION, Platform } from '@continuum/platform';
import { blacklistDecider, customerDecider, orderDecider } from '../domain';
import { BlacklistView } from './blacklist.view';
import { CustomerLookupView } from './customer-lookup.view';
import { CustomerOrdersView } from './customer-orders.view';

/**
 * Refolds every customer, blacklist and order stream into the views when the service starts.
 * Views are updated after each append, so a crash between the two would otherwise leave a view
 * wrong until that aggregate changed again.
 */
@Injectable()
export class ViewsRebuildService implements OnApplicationBootstrap {
  constructor(
    @Inject(Platform) private readonly platform: Platform,
    @Inject(CustomerLookupView) private readonly customers: CustomerLookupView,
    @Inject(BlacklistView) private readonly blacklist: BlacklistView,
    @Inject(CustomerOrdersView) private readonly orders: CustomerOrdersView,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const rebuilt = await this.rebuild();
    this.platform.logger.info({ streams: rebuilt }, 'orders views rebuilt');
  }

  /** Refolds every stream the views are built from; returns how many streams were read. */
  async rebuild(): Promise<number> {
    const streamIds = (await this.platform.connection.collection(COMMITS_COLLECTION).distinct('streamId')) as string[];
    let count = 0;
    for (const streamId of streamIds) {
      if (streamId.startsWith('customer-')) await this.customers.save((await this.platform.commands.load(streamId, customerDecider)).state);
      else if (streamId.startsWith('blacklist-')) await this.blacklist.save((await this.platform.commands.load(streamId, blacklistDecider)).state);
      else if (streamId.startsWith('order-')) await this.orders.save((await this.platform.commands.load(streamId, orderDecider)).state);
      else continue;
      count++;
    }
    return count;
  }
}
