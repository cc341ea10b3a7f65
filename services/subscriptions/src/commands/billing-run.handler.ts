import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DomainError } from '@continuum/contracts';
import { CommandContext, Platform, RunReporter, unrecordedRun } from '@continuum/platform';
import { ExistingPurchase } from '../domain';
import { PurchasesView } from '../views';
import { PurchaseAggregate } from './aggregates';

/** What a billing run did: bills approved and declined (of those it requested), still unanswered, and dated cancellations. */
export interface BillingRunResult {
  readonly asOf: string;
  readonly requested: number;
  readonly billed: number;
  readonly declined: number;
  readonly pending: number;
  readonly cancelled: number;
}

/**
 * Bill every purchase due by `asOf` (and let dated cancellations take effect). `waitMs`: how long to
 * wait for the outcomes of the bills requested, so the answer can say how many were billed and declined.
 * `run`: the run's record (progress) and id; each purchase's bill is keyed by run id + purchase id.
 */
export class RunBillingCommand extends Command<BillingRunResult> {
  constructor(
    readonly asOf: string,
    readonly context: CommandContext,
    readonly waitMs: number,
    readonly run: RunReporter = unrecordedRun(),
  ) {
    super();
  }
}

const POLL_MS = 250;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Due purchases come from the view's `billing` index; each is decided on its own stream. Exactly
 * once per purchase and cycle: the decider refuses a second request while one is unanswered
 * (BILL_IN_PROGRESS) or once the cycle is billed (NOT_DUE), and two runs deciding at the same time
 * collide on the stream version, the loser deciding again against the winner's request. So an
 * overlapping run, or a run retried after a crash, requests nothing twice; the same run tried again
 * (its job picked up after a crash) finds its own earlier request by its key (run id + purchase id).
 */
@CommandHandler(RunBillingCommand)
export class RunBillingHandler implements ICommandHandler<RunBillingCommand, BillingRunResult> {
  constructor(
    @Inject(Platform) private readonly platform: Platform,
    @Inject(PurchasesView) private readonly readModel: PurchasesView,
    @Inject(PurchaseAggregate) private readonly purchases: PurchaseAggregate,
  ) {}

  async execute({ asOf, context, waitMs, run }: RunBillingCommand): Promise<BillingRunResult> {
    const requested: { purchaseId: string; billingCycle: number; attempt: number }[] = [];
    let cancelled = 0;
    const due = await this.readModel.dueBy(asOf);
    await run.planned(due.length);
    for (const purchaseId of due) {
      try {
        const { events } = await this.purchases.run(purchaseId, { type: 'BillIfDue', data: { asOf } }, run.forItem(context, purchaseId));
        for (const event of events) {
          if (event.type === 'RebillRequested') requested.push({ purchaseId, billingCycle: event.data.billingCycle, attempt: event.data.attempt ?? 0 });
          if (event.type === 'PurchaseCancelled') cancelled++;
        }
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        // billed by another run meanwhile, paused, ...: nothing to do for this one
        this.platform.logger.debug({ purchaseId, code: error.code }, 'billing run: purchase not billed');
      }
      await run.advanced();
    }
    const outcomes = await this.outcomes(requested, waitMs);
    return { asOf, requested: requested.length, cancelled, ...outcomes };
  }

  private async outcomes(requested: readonly { purchaseId: string; billingCycle: number; attempt: number }[], waitMs: number) {
    const deadline = Date.now() + waitMs;
    let billed = 0;
    let declined = 0;
    let waiting = [...requested];
    for (;;) {
      const still: typeof waiting = [];
      for (const bill of waiting) {
        const outcome = outcomeOf(await this.readModel.state(bill.purchaseId), bill.billingCycle, bill.attempt);
        if (outcome === 'APPROVED') billed++;
        else if (outcome === 'DECLINED') declined++;
        else still.push(bill);
      }
      waiting = still;
      if (waiting.length === 0 || Date.now() >= deadline) return { billed, declined, pending: waiting.length };
      await sleep(POLL_MS);
    }
  }
}

function outcomeOf(purchase: ExistingPurchase | undefined, billingCycle: number, attempt: number): 'APPROVED' | 'DECLINED' | 'PENDING' {
  const order = Object.values(purchase?.rebillOrders ?? {}).find((o) => o.billingCycle === billingCycle && o.attempt === attempt);
  return order?.outcome ?? 'PENDING';
}
