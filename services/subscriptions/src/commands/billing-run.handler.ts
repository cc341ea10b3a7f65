import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DomainError } from '@continuum/contracts';
import { CommandContext, Platform, RunReporter, unrecordedRun } from '@continuum/platform';
import { RequestedBill, billOutcome, billingRunStep, countOutcomes } from '../domain';
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
 * The billing run, a workflow of several steps: list the due purchases (the view's `billing` index),
 * decide `BillIfDue` on each purchase's stream, then wait for the outcomes. What it counts is decided
 * by the pure functions of domain/billing-run.workflow.ts; this handler does the I/O. Exactly
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
    const requested: RequestedBill[] = [];
    let cancelled = 0;
    const due = await this.readModel.dueBy(asOf);
    await run.planned(due.length);
    for (const purchaseId of due) {
      try {
        const { events } = await this.purchases.run(purchaseId, { type: 'BillIfDue', data: { asOf } }, run.forItem(context, purchaseId));
        const step = billingRunStep(purchaseId, events);
        requested.push(...step.requested);
        cancelled += step.cancelled;
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
