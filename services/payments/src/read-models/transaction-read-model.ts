import { Inject, Injectable } from '@nestjs/common';
import { mongo } from 'mongoose';
import { COMMITS_COLLECTION, Platform } from '@continuum/platform';
import {
  RefundStatus,
  RefundView,
  TransactionRow,
  TransactionState,
  isSettleable,
  refundViews,
  transactionDecider,
  transactionRows,
  transactionStreamId,
} from '../domain';

/** One transaction stream as the queries need it, replaced whole after every change. */
interface TransactionDocument {
  _id: string;
  orderId: string;
  customerId: string;
  /** stream version it was built from: an older write never overwrites a newer one */
  version: number;
  createdAt: string;
  rows: TransactionRow[];
  /** when an approved, settleable, unsettled charge took its money; null otherwise */
  unsettledChargedAt: string | null;
}

interface RefundDocument {
  _id: string;
  transactionId: string;
  orderId: string;
  status: RefundStatus;
  version: number;
  view: RefundView;
}

const STREAM_PREFIX = transactionStreamId('');
const DUPLICATE_KEY = 11000;

/**
 * The payments read models, derived from the folded transaction state after every command:
 * transactions by order, refunds by id and status, and unsettled charges for settlement runs.
 * Reads of one transaction by id go to its stream instead (always current).
 */
@Injectable()
export class TransactionReadModel {
  private readonly transactions: mongo.Collection<TransactionDocument>;
  private readonly refunds: mongo.Collection<RefundDocument>;

  constructor(@Inject(Platform) private readonly platform: Platform) {
    const db = platform.connection.db!;
    this.transactions = db.collection<TransactionDocument>('payments_transactions_view');
    this.refunds = db.collection<RefundDocument>('payments_refunds_view');
  }

  async init(): Promise<void> {
    await this.transactions.createIndex({ orderId: 1 });
    await this.transactions.createIndex({ unsettledChargedAt: 1 });
    await this.refunds.createIndex({ status: 1 });
  }

  /** Stores what `state` (at stream `version`) shows; a stale version changes nothing. */
  async project(transactionId: string, state: TransactionState, version: number): Promise<void> {
    if (state.status === 'NONE') return;
    const doc: Omit<TransactionDocument, '_id'> = {
      orderId: state.orderId,
      customerId: state.customerId,
      version,
      createdAt: state.createdAt,
      rows: transactionRows(state),
      unsettledChargedAt: state.status === 'APPROVED' && state.settledAt === null && isSettleable(state) ? (state.capture?.at ?? state.createdAt) : null,
    };
    await upsertIfNewer(this.transactions, transactionId, version, doc);
    for (const view of refundViews(state)) {
      await upsertIfNewer(this.refunds, view.refundId, version, { transactionId, orderId: view.orderId, status: view.status, version, view });
    }
  }

  /** Every row of every transaction of the order, oldest transaction first. */
  async rowsOfOrder(orderId: string): Promise<TransactionRow[]> {
    const docs = await this.transactions.find({ orderId }).sort({ createdAt: 1, _id: 1 }).toArray();
    return docs.flatMap((doc) => doc.rows);
  }

  async transactionIdsOfOrder(orderId: string): Promise<string[]> {
    const docs = await this.transactions.find({ orderId }, { projection: { _id: 1 } }).sort({ createdAt: 1, _id: 1 }).toArray();
    return docs.map((doc) => doc._id);
  }

  /** Charges still unsettled that took their money at or before `chargedBy` (ISO-8601). */
  async unsettledChargedBy(chargedBy: string): Promise<string[]> {
    const docs = await this.transactions.find({ unsettledChargedAt: { $ne: null, $lte: chargedBy } }, { projection: { _id: 1 } }).toArray();
    return docs.map((doc) => doc._id);
  }

  async refund(refundId: string): Promise<RefundView | undefined> {
    const doc = await this.refunds.findOne({ _id: refundId });
    return doc?.view;
  }

  /** The transaction a refund (or a void, by its id) belongs to. */
  async transactionOfRefund(refundId: string): Promise<string | undefined> {
    const doc = await this.refunds.findOne({ _id: refundId }, { projection: { transactionId: 1 } });
    return doc?.transactionId;
  }

  async refundsByStatus(status?: RefundStatus): Promise<RefundView[]> {
    const docs = await this.refunds.find(status ? { status } : {}).sort({ 'view.requestedAt': 1 }).toArray();
    return docs.map((doc) => doc.view);
  }

  /** Rebuilds every transaction's documents from the event store (at start, or after a schema change). */
  async rebuild(): Promise<number> {
    const commits = this.platform.connection.db!.collection(COMMITS_COLLECTION);
    const streamIds = (await commits.distinct('streamId')) as string[];
    let count = 0;
    for (const streamId of streamIds.filter((id) => id.startsWith(STREAM_PREFIX))) {
      const { state, version } = await this.platform.commands.load(streamId, transactionDecider);
      await this.project(streamId.slice(STREAM_PREFIX.length), state, version);
      count++;
    }
    return count;
  }
}

async function upsertIfNewer<T extends { _id: string; version: number }>(collection: mongo.Collection<T>, id: string, version: number, doc: Omit<T, '_id'>): Promise<void> {
  try {
    // Matches only an older document; when a newer one exists the upsert's insert collides and is dropped.
    await collection.updateOne({ _id: id, version: { $lt: version } } as never, { $set: doc } as never, { upsert: true });
  } catch (error) {
    if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
  }
}
