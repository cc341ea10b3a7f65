import { TransitionRefusal, TransitionTable, refusedIn } from '@continuum/contracts';
import { TransactionCommand } from './transaction.commands';
import { RefundStatus, TransactionState } from './transaction.state';

/** The status of a transaction that exists (RecordCharge, RecordExternalPayment and OpenCodTransaction start the stream). */
export type TransactionStatus = Exclude<TransactionState['status'], 'NONE'>;

/** Every status of an existing transaction, in lifecycle order. */
export const TRANSACTION_STATUSES: readonly TransactionStatus[] = ['APPROVED', 'VOIDED', 'DECLINED', 'EXTERNAL', 'COD_PENDING', 'COD_PAID', 'COD_DECLINED'];

/**
 * The commands whose transaction status matters. The others start the stream (from none: a second
 * start is TRANSACTION_EXISTS, a conflict) or apply in any status (RecordRefundAttempt and
 * ResendRefundEmail follow the refund's own lifecycle, REFUND_TRANSITIONS).
 */
export type GuardedTransactionCommand = Exclude<TransactionCommand['type'], 'RecordCharge' | 'RecordExternalPayment' | 'OpenCodTransaction' | 'RecordRefundAttempt' | 'ResendRefundEmail'>;

/** What a command for a card charge gets from anything else: each status says why it is not one. */
const NOT_A_CARD_CHARGE: Readonly<Partial<Record<TransactionStatus, TransitionRefusal>>> = {
  VOIDED: { code: 'CHARGE_VOIDED', message: 'the charge was voided' },
  DECLINED: { code: 'NOT_A_CHARGE', message: 'a declined charge moved no money' },
  EXTERNAL: { code: 'NOT_A_CHARGE', message: 'an external payment moved no money at a gateway' },
  ...refusedIn(['COD_PENDING', 'COD_PAID', 'COD_DECLINED'], { code: 'NOT_A_CHARGE', message: 'a COD transaction is not a card charge' }),
};

const cardCharge = { from: ['APPROVED'], code: 'NOT_A_CHARGE', message: 'not a card charge', refusals: NOT_A_CARD_CHARGE } as const;

/**
 * The transaction lifecycle: which statuses each command is allowed from, the status it leads to
 * (none: the status stays, or the outcome decides it), and the error any other status gets. The
 * decider reads it through `allowedFrom`; docs/payments.md prints it (a spec keeps the two equal).
 * What does not depend on the status stays in the decider: the same step again changes nothing (a
 * void of the same id, a settled charge settled again, COD paid again), a settled charge is not
 * voided (CHARGE_SETTLED), an unsettled one is not refunded (CHARGE_NOT_SETTLED), and the amounts.
 */
export const TRANSACTION_TRANSITIONS: TransitionTable<TransactionStatus, GuardedTransactionCommand> = {
  CaptureAuthorization: cardCharge,
  Settle: cardCharge,
  RequestVoid: cardCharge,
  Void: { ...cardCharge, to: 'VOIDED' },
  RequestRefund: cardCharge,
  MarkChargeback: cardCharge,
  RevertChargeback: cardCharge,
  MarkCodPaid: {
    from: ['COD_PENDING'],
    to: 'COD_PAID',
    code: 'NOT_COD',
    message: 'this is not a COD transaction',
    refusals: { COD_DECLINED: { code: 'COD_DECLINED', message: 'the COD delivery was declined and cannot be marked paid' } },
  },
  MarkCodUndelivered: {
    from: ['COD_PENDING'],
    code: 'NOT_COD',
    message: 'this is not a COD transaction',
    refusals: {
      COD_PAID: { code: 'COD_ALREADY_PAID', message: 'the COD payment was already received' },
      COD_DECLINED: { code: 'COD_DECLINED', message: 'the COD delivery was already declined' },
    },
  },
};

/** Every status of a refund, in lifecycle order (RequestRefund starts one PENDING). */
export const REFUND_STATUSES: readonly RefundStatus[] = ['PENDING', 'QUEUED', 'SUCCEEDED', 'ABANDONED'];

/**
 * The refund lifecycle (a refund inside its charge's stream). A gateway attempt is recorded only
 * while the refund waits for one; a finished refund takes none (a redelivered attempt changes
 * nothing: the decider asks `refundAllows` and decides nothing). Only a succeeded refund has an
 * email to resend.
 */
export const REFUND_TRANSITIONS: TransitionTable<RefundStatus, 'RecordRefundAttempt' | 'ResendRefundEmail'> = {
  RecordRefundAttempt: { from: ['PENDING', 'QUEUED'], code: 'REFUND_FINISHED', message: 'the refund is finished and takes no more attempts' },
  ResendRefundEmail: { from: ['SUCCEEDED'], code: 'REFUND_NOT_SUCCEEDED', message: 'only a succeeded refund has a refund email to resend' },
};

/** Whether the refund lifecycle allows `command` from `status` (for a decision that is a no-op rather than a refusal). */
export const refundAllows = (command: keyof typeof REFUND_TRANSITIONS, status: RefundStatus): boolean => REFUND_TRANSITIONS[command].from.includes(status);
