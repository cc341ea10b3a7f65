import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DomainError } from '@continuum/contracts';
import { CommandContext, Platform, RunReporter, unrecordedRun } from '@continuum/platform';
import { ExistingPurchase, RequestedBill, WindowedBill, billOutcome, billingRunStep, countOutcomes, leavesWindow } from '../domain';
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
 * How fast a run requests: at most `window` of its bills without an outcome at a time, a bill
 * holding its place at most `holdMs` (BILLING_RUN_WINDOW, BILLING_RUN_HOLD_MS).
 */
export interface BillingRunPacing {
  readonly window: number;
  readonly holdMs: number;
  /** how many ids of the due list are read at a time (default: one index chunk, 200) */
  readonly pageSize?: number;
}

/** No pacing: every due purchase is asked at once, one after the other. */
export const UNPACED: BillingRunPacing = { window: Number.POSITIVE_INFINITY, holdMs: 0 };

/**
 * Bill every purchase due by `asOf` (and let dated cancellations take effect). `waitMs`: how long to
 * wait for the outcomes of the bills requested, so the answer can say how many were billed and declined.
 * `run`: the run's record (progress) and id; each purchase's bill is keyed by run id + purchase id.
 * `pacing`: how many bills may wait for their outcome at a time.
 */
export class RunBillingCommand extends Command<BillingRunResult> {
  constructor(
    readonly asOf: string,
    readonly context: CommandContext,
    readonly waitMs: number,
    readonly run: RunReporter = unrecordedRun(),
    readonly pacing: BillingRunPacing = UNPACED,
  ) {
    super();
  }
}

const POLL_MS = 250;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The billing run, a workflow of several steps: list the due purchases a page at a time (the view's
 * `billing` index, each page read when the run reaches it), decide `BillIfDue` on each purchase's stream, then wait for the outcomes. It keeps at most a window
 * of bills without an outcome (`pacing`): once the window is full it looks at its oldest bills
 * (their purchases in the view) and requests the next when one has ended or held its place long
 * enough, so the rebill orders, charges and fulfillments of a run of any size never queue far ahead
 * of new orders in the services they share (a run of 100,000 bills would otherwise put them all
 * before the next order placed). What it counts and when a bill leaves the window is decided by the
 * pure functions of domain/billing-run.workflow.ts; this handler does the I/O. Exactly
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

  async execute({ asOf, context, waitMs, run, pacing }: RunBillingCommand): Promise<BillingRunResult> {
    let requested = 0;
    let cancelled = 0;
    const window = new BillWindow(pacing, (purchaseId) => this.readModel.state(purchaseId));
    // the due list is read a page at a time as the run goes (PurchasesView.dueBy): the progress
    // total grows by each page's due purchases, so it is final once the last page is read
    let planned = 0;
    await run.planned(planned);
    for await (const due of this.readModel.dueBy(asOf, pacing.pageSize)) {
      planned += due.length;
      await run.planned(planned);
      for (const purchaseId of due) {
        await window.room();
        try {
          const { events } = await this.purchases.run(purchaseId, { type: 'BillIfDue', data: { asOf } }, run.forItem(context, purchaseId));
          const step = billingRunStep(purchaseId, events);
          requested += step.requested.length;
          window.add(step.requested);
          cancelled += step.cancelled;
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          // billed by another run meanwhile, paused, ...: nothing to do for this one
          this.platform.logger.debug({ purchaseId, code: error.code }, 'billing run: purchase not billed');
        }
        await run.advanced();
      }
    }
    // the bills that left the window with their outcome are counted; the others are waited for
    const outcomes = await this.outcomes(window.unsettled(), waitMs);
    return { asOf, requested, cancelled, billed: window.billed + outcomes.billed, declined: window.declined + outcomes.declined, pending: outcomes.pending };
  }

  /** Looks at the purchases (the view) until every requested bill has its outcome or `waitMs` is over. */
  private async outcomes(requested: readonly RequestedBill[], waitMs: number) {
    const deadline = Date.now() + waitMs;
    let billed = 0;
    let declined = 0;
    let waiting = [...requested];
    for (;;) {
      const looked = [];
      for (const bill of waiting) looked.push({ bill, outcome: billOutcome(await this.readModel.state(bill.purchaseId), bill) });
      const counted = countOutcomes(looked);
      billed += counted.billed;
      declined += counted.declined;
      waiting = counted.still;
      if (waiting.length === 0 || Date.now() >= deadline) return { billed, declined, pending: waiting.length };
      await sleep(POLL_MS);
    }
  }
}

/**
 * The bills of a run without an outcome, oldest first, at most `pacing.window` of them. `room()`
 * returns at once while there is room; when the window is full it looks at the oldest bills (one
 * view read each) until one still holds its place, and looks again every POLL_MS until one leaves.
 * A bill that left with its approval or decline is counted; the others (ended without a charge, or
 * held too long) are handed back by `unsettled()` for the run's final wait.
 */
class BillWindow {
  private bills: WindowedBill[] = [];
  private readonly left: RequestedBill[] = [];
  billed = 0;
  declined = 0;

  constructor(
    private readonly pacing: BillingRunPacing,
    private readonly stateOf: (purchaseId: string) => Promise<ExistingPurchase | undefined>,
  ) {}

  add(requested: readonly RequestedBill[]): void {
    const now = Date.now();
    for (const bill of requested) this.bills.push({ ...bill, requestedAtMs: now });
  }

  async room(): Promise<void> {
    while (this.bills.length >= this.pacing.window) {
      while (this.bills.length > 0) {
        const oldest = this.bills[0]!;
        const purchase = await this.stateOf(oldest.purchaseId);
        if (!leavesWindow(purchase, oldest, Date.now(), this.pacing.holdMs)) break;
        this.bills.shift();
        const { billed, declined, still } = countOutcomes([{ bill: oldest, outcome: billOutcome(purchase, oldest) }]);
        this.billed += billed;
        this.declined += declined;
        this.left.push(...still);
      }
      if (this.bills.length >= this.pacing.window) await sleep(POLL_MS);
    }
  }

  unsettled(): RequestedBill[] {
    return [...this.left, ...this.bills.map(({ requestedAtMs: _at, ...bill }) => bill)];
  }
}
