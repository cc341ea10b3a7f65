import { DomainEvent } from '../core/envelope';
import { defineEvent, registry } from '../core/registry';
import { bool, id, int, isoDate, minor, nullable, obj, oneOf, str } from '../core/schema-helpers';
import { Topics } from '../core/topics';
import {
  CARD_BRANDS,
  CHARGE_PURPOSES,
  CHARGE_TYPES,
  ChargeFor,
  COD_UNDELIVERED_STATUSES,
  CardOnFile,
  ChargeType,
  CodUndeliveredStatus,
  DECLINE_RESPONSES,
  DeclineResponse,
  REFUND_EMAIL_KINDS,
  RefundEmailKind,
} from './payment-types';

/** Every payments event names its transaction, order and customer, so a consumer needs nothing else. */
export type TransactionRef = {
  readonly transactionId: string;
  readonly orderId: string;
  readonly customerId: string;
};

const ref = { transactionId: id(), orderId: id(), customerId: id() };
const currency = () => str({ pattern: '^[A-Z]{3}$' });
const positive = () => int({ minimum: 1 });
const cardSchema = () => obj({ token: id(), brand: oneOf(...CARD_BRANDS), last4: str({ pattern: '^[0-9]{4}$' }), bin: str({ pattern: '^[0-9]{6}$' }) });
const define = (type: string, description: string, properties: Record<string, Record<string, unknown>>) =>
  defineEvent(type, Topics.paymentsEvents, description, obj({ ...ref, ...properties }));

// ---- charges -------------------------------------------------------------------------------

/** What PaymentApproved and PaymentDeclined share, besides the purpose. */
type ChargeOutcome = TransactionRef & {
  readonly type: ChargeType;
  readonly amount: number;
  readonly currency: string;
  readonly card: CardOnFile;
  readonly merchantId: string;
  readonly gatewayTransactionId: string | null;
  readonly message: string;
  /** the soft-declined transaction this one reruns */
  readonly rerunOf: string | null;
  readonly at: string;
};

export type PaymentApproved = DomainEvent<
  'PaymentApproved',
  ChargeOutcome &
    ChargeFor & {
      readonly response: 'SUCCESS';
      /** a prepaid card: orders holds such an order for QA */
      readonly prepaid: boolean;
      /**
       * set true when the gateway is live and the card is one the account lists as a test card:
       * fulfillment never exports such an order (it stays HOLD). Absent or false otherwise (the
       * built-in development gateway is never such a case).
       */
      readonly testCardOnLiveGateway?: boolean;
    }
>;

export type PaymentDeclined = DomainEvent<
  'PaymentDeclined',
  ChargeOutcome &
    ChargeFor & {
      /** SOFT_DECLINE may be rerun; HARD_DECLINE needs new payment details */
      readonly response: DeclineResponse;
    }
>;

const chargeOutcome = () => ({
  type: oneOf(...CHARGE_TYPES),
  amount: minor(),
  currency: currency(),
  card: cardSchema(),
  merchantId: id(),
  gatewayTransactionId: nullable(id()),
  message: str(),
  rerunOf: nullable(id()),
  at: isoDate(),
});
const approvedProperties = () => ({ ...chargeOutcome(), response: oneOf('SUCCESS'), prepaid: bool(), testCardOnLiveGateway: bool() });
const declinedProperties = () => ({ ...chargeOutcome(), response: oneOf(...DECLINE_RESPONSES) });

/** Version 2 adds `purpose` (required) and `orderItemId` (required for UPSELL, absent otherwise). */
/** Fields a charge outcome may leave out. */
const OPTIONAL_OUTCOME_FIELDS = ['orderItemId', 'testCardOnLiveGateway'];
const requiredOf = (properties: Record<string, unknown>) => Object.keys(properties).filter((key) => !OPTIONAL_OUTCOME_FIELDS.includes(key));

const withPurpose = (properties: Record<string, Record<string, unknown>>) => {
  const all = { ...ref, ...properties, purpose: oneOf(...CHARGE_PURPOSES), orderItemId: id() };
  return {
    ...obj(all, requiredOf(all)),
    if: { properties: { purpose: { const: 'UPSELL' } }, required: ['purpose'] },
    then: { properties: { orderItemId: id() }, required: ['orderItemId'] },
    else: { properties: { orderItemId: false } },
  };
};

defineEvent(
  'PaymentApproved',
  Topics.paymentsEvents,
  'The gateway approved a card sale or authorization (version 1: no purpose).',
  obj({ ...ref, ...approvedProperties() }, requiredOf({ ...ref, ...approvedProperties() })),
);
defineEvent(
  'PaymentApproved',
  Topics.paymentsEvents,
  'The gateway approved a card sale or authorization; the charge is unsettled until settlement. `purpose` says whether it pays the order (ORDER, RERUN, REBILL) or one upsell item (UPSELL, with orderItemId).',
  withPurpose(approvedProperties()),
  2,
);

define('PaymentDeclined', 'The gateway declined a card sale or authorization (version 1: no purpose).', declinedProperties());
defineEvent(
  'PaymentDeclined',
  Topics.paymentsEvents,
  'The gateway declined a card sale or authorization; no money moved. `purpose` says whether it was to pay the order (ORDER, RERUN, REBILL) or one upsell item (UPSELL, with orderItemId).',
  withPurpose(declinedProperties()),
  2,
);

/**
 * The purpose of a charge recorded before the events carried it, read from the transaction id the
 * payments service derives from the cause (`<orderId>-upsell-<orderItemId>`, `<orderId>-rerun-<eventId>`,
 * `<orderId>-charge-1`). A rebill's first charge looks like an order's and reads as ORDER; both pay the order.
 */
export function chargeForTransaction(transactionId: string, rerunOf: string | null): ChargeFor {
  const upsell = /-upsell-(.+)$/.exec(transactionId);
  if (upsell) return { purpose: 'UPSELL', orderItemId: upsell[1] };
  if (rerunOf !== null || transactionId.includes('-rerun-')) return { purpose: 'RERUN' };
  return { purpose: 'ORDER' };
}

for (const type of ['PaymentApproved', 'PaymentDeclined']) {
  registry.registerUpcaster({
    type,
    fromVersion: 1,
    upcast: (data: { transactionId: string; rerunOf: string | null }) => ({ ...data, ...chargeForTransaction(data.transactionId, data.rerunOf) }),
  });
}

export type AuthorizationCaptured = DomainEvent<
  'AuthorizationCaptured',
  TransactionRef & {
    readonly captureId: string;
    /** captured amount, at most the authorized one; what settles and can be refunded */
    readonly amount: number;
    readonly currency: string;
    readonly gatewayTransactionId: string | null;
    readonly message: string;
    readonly at: string;
  }
>;
define('AuthorizationCaptured', 'An approved authorization was captured (the CAPTURE row); the captured amount settles later.', {
  captureId: id(),
  amount: positive(),
  currency: currency(),
  gatewayTransactionId: nullable(id()),
  message: str(),
  at: isoDate(),
});

export type ExternalPaymentRecorded = DomainEvent<
  'ExternalPaymentRecorded',
  TransactionRef & { readonly amount: number; readonly currency: string; readonly at: string }
>;
define('ExternalPaymentRecorded', 'An EXTERNAL payment: the amount is shown but no money moves and nothing can be voided or refunded.', {
  amount: minor(),
  currency: currency(),
  at: isoDate(),
});

// ---- cash on delivery ------------------------------------------------------------------------

export type CodTransactionOpened = DomainEvent<
  'CodTransactionOpened',
  TransactionRef & {
    readonly amount: number;
    readonly currency: string;
    readonly response: 'PENDING';
    /** "Payment marked as COD" */
    readonly message: string;
    readonly at: string;
  }
>;
define('CodTransactionOpened', 'A COD transaction waits for the carrier to collect the money ("COD Pending").', {
  amount: minor(),
  currency: currency(),
  response: oneOf('PENDING'),
  message: str(),
  at: isoDate(),
});

export type CodPaymentReceived = DomainEvent<
  'CodPaymentReceived',
  TransactionRef & {
    readonly amount: number;
    readonly response: 'SUCCESS';
    readonly deliveryConfirmation: string;
    /** the delivery date the agent entered */
    readonly date: string;
    readonly at: string;
  }
>;
define('CodPaymentReceived', 'The COD package was delivered and paid: the transaction is SUCCESS.', {
  amount: minor(),
  response: oneOf('SUCCESS'),
  deliveryConfirmation: id(),
  date: str({ minLength: 1 }),
  at: isoDate(),
});

export type CodDeliveryFailed = DomainEvent<
  'CodDeliveryFailed',
  TransactionRef & {
    readonly status: CodUndeliveredStatus;
    /** true only for DECLINED: the transaction is over (hard decline); otherwise it stays pending */
    readonly final: boolean;
    readonly response: DeclineResponse;
    readonly at: string;
  }
>;
define('CodDeliveryFailed', 'A COD delivery did not bring the money: reattempt/pickup is a soft decline, DECLINED a final hard decline.', {
  status: oneOf(...COD_UNDELIVERED_STATUSES),
  final: bool(),
  response: oneOf(...DECLINE_RESPONSES),
  at: isoDate(),
});

// ---- settlement and void -------------------------------------------------------------------

export type ChargeSettled = DomainEvent<'ChargeSettled', TransactionRef & { readonly amount: number; readonly settledAt: string }>;
define('ChargeSettled', 'The gateway settled a charge: from now on it can be refunded but no longer voided.', {
  amount: minor(),
  settledAt: isoDate(),
});

export type ChargeVoided = DomainEvent<
  'ChargeVoided',
  TransactionRef & {
    readonly voidId: string;
    /** always the whole charge: a partial void is not possible */
    readonly amount: number;
    readonly currency: string;
    readonly gatewayTransactionId: string | null;
    readonly message: string;
    /** account option: the purchase and the unshipped fulfillment are to be cancelled */
    readonly autoCancel: boolean;
    readonly at: string;
  }
>;
define('ChargeVoided', 'An unsettled charge was voided in full (the VOID row).', {
  voidId: id(),
  amount: minor(),
  currency: currency(),
  gatewayTransactionId: nullable(id()),
  message: str(),
  autoCancel: bool(),
  at: isoDate(),
});

export type VoidRequested = DomainEvent<
  'VoidRequested',
  TransactionRef & { readonly voidId: string; readonly amount: number; readonly currency: string; readonly at: string }
>;
define('VoidRequested', 'A void of an unsettled charge is reserved before the gateway is called: settlement waits until ChargeVoided or VoidFailed.', {
  voidId: id(),
  amount: minor(),
  currency: currency(),
  at: isoDate(),
});

export type VoidFailed = DomainEvent<'VoidFailed', TransactionRef & { readonly voidId: string; readonly message: string; readonly at: string }>;
define('VoidFailed', 'The gateway rejected a reserved void: the charge is an ordinary unsettled charge again.', {
  voidId: id(),
  message: str(),
  at: isoDate(),
});

// ---- refunds -------------------------------------------------------------------------------

export type RefundRequested = DomainEvent<
  'RefundRequested',
  TransactionRef & { readonly refundId: string; readonly amount: number; readonly currency: string; readonly at: string }
>;
define('RefundRequested', 'A refund of a settled charge was asked for; its amount is reserved until it succeeds or is abandoned.', {
  refundId: id(),
  amount: positive(),
  currency: currency(),
  at: isoDate(),
});

export type RefundSucceeded = DomainEvent<
  'RefundSucceeded',
  TransactionRef & {
    readonly refundId: string;
    readonly amount: number;
    readonly currency: string;
    /** 1 = the first try, 2..4 = the daily retries */
    readonly attempt: number;
    readonly gatewayTransactionId: string | null;
    readonly message: string;
    /** everything refunded of this charge so far, this refund included */
    readonly refundedTotal: number;
    /** nothing of the charge is left to refund */
    readonly fullyRefunded: boolean;
    /** account option: the purchase and the unshipped fulfillment are to be cancelled */
    readonly autoCancel: boolean;
    readonly at: string;
  }
>;
define('RefundSucceeded', 'The gateway refunded the money; the refund is over.', {
  refundId: id(),
  amount: positive(),
  currency: currency(),
  attempt: positive(),
  gatewayTransactionId: nullable(id()),
  message: str(),
  refundedTotal: minor(),
  fullyRefunded: bool(),
  autoCancel: bool(),
  at: isoDate(),
});

/**
 * Why a refund attempt failed: REJECTED, the gateway answered no (nothing was refunded); UNKNOWN, no
 * answer came (a timeout or a transport error: the refund may have gone through), so the next
 * attempt repeats the same gateway reference and a gateway that did refund deduplicates it;
 * NOT_SETTLED, the gateway answered no because the charge has not settled yet (a refund that
 * follows a failed void): nothing was refunded, and the retry follows the charge's settlement.
 */
export type RefundFailureOutcome = 'REJECTED' | 'UNKNOWN' | 'NOT_SETTLED';
export const REFUND_FAILURE_OUTCOMES: readonly RefundFailureOutcome[] = ['REJECTED', 'UNKNOWN', 'NOT_SETTLED'];

export type RefundFailed = DomainEvent<
  'RefundFailed',
  TransactionRef & {
    readonly refundId: string;
    readonly amount: number;
    readonly attempt: number;
    readonly message: string;
    /** absent on events stored before it existed: read as REJECTED */
    readonly outcome?: RefundFailureOutcome;
    readonly at: string;
  }
>;
const refundFailedProperties = {
  ...ref,
  refundId: id(),
  amount: positive(),
  attempt: positive(),
  message: str(),
  outcome: oneOf(...REFUND_FAILURE_OUTCOMES),
  at: isoDate(),
};
defineEvent(
  'RefundFailed',
  Topics.paymentsEvents,
  'One gateway attempt at a refund failed (followed by RefundQueued or RefundAbandoned). `outcome`: REJECTED (the gateway said no; absent means REJECTED), UNKNOWN (no answer: the next attempt repeats the same gateway reference) or NOT_SETTLED (the gateway said no because the charge has not settled yet).',
  obj(
    refundFailedProperties,
    Object.keys(refundFailedProperties).filter((key) => key !== 'outcome'),
  ),
);

export type RefundQueued = DomainEvent<
  'RefundQueued',
  TransactionRef & {
    readonly refundId: string;
    readonly amount: number;
    /** which daily retry comes next: 1, 2 or 3 (gateway attempt retryNumber + 1) */
    readonly retryNumber: number;
    /** true: the gateway refused because the charge has not settled; the retry follows its settlement instead of a day (absent: false) */
    readonly afterSettlement?: boolean;
    readonly at: string;
  }
>;
const refundQueuedProperties = {
  ...ref,
  refundId: id(),
  amount: positive(),
  retryNumber: int({ minimum: 1, maximum: 3 }),
  afterSettlement: bool(),
  at: isoDate(),
};
defineEvent(
  'RefundQueued',
  Topics.paymentsEvents,
  'A failed refund is in the refund queue and will be retried in a day, or, with `afterSettlement` true (the gateway refused because the charge has not settled), right after the charge settles.',
  obj(
    refundQueuedProperties,
    Object.keys(refundQueuedProperties).filter((key) => key !== 'afterSettlement'),
  ),
);

export type RefundAbandoned = DomainEvent<
  'RefundAbandoned',
  TransactionRef & { readonly refundId: string; readonly amount: number; readonly attempts: number; readonly lastMessage: string; readonly at: string }
>;
define('RefundAbandoned', 'The third daily retry failed: the refund leaves the queue and Notify Emails are told; its amount is released.', {
  refundId: id(),
  amount: positive(),
  attempts: positive(),
  lastMessage: str(),
  at: isoDate(),
});

export type RefundEmailResent = DomainEvent<
  'RefundEmailResent',
  TransactionRef & {
    /** the refund id, or the void id when kind is VOID */
    readonly refundId: string;
    readonly kind: RefundEmailKind;
    readonly amount: number;
    readonly currency: string;
    readonly at: string;
  }
>;
define('RefundEmailResent', "An agent asked to send the customer's refund (or void) email again.", {
  refundId: id(),
  kind: oneOf(...REFUND_EMAIL_KINDS),
  amount: minor(),
  currency: currency(),
  at: isoDate(),
});

// ---- chargebacks -----------------------------------------------------------------------------

export type ChargebackMarked = DomainEvent<
  'ChargebackMarked',
  TransactionRef & {
    readonly amount: number;
    /** the chargeback date as the bank reported it */
    readonly date: string;
    readonly reasonCode: string;
    readonly note: string | null;
    readonly at: string;
  }
>;
define('ChargebackMarked', 'An agent recorded a chargeback on an approved charge.', {
  amount: positive(),
  date: str({ minLength: 1 }),
  reasonCode: id(),
  note: nullable(str({ maxLength: 500 })),
  at: isoDate(),
});

export type ChargebackReverted = DomainEvent<'ChargebackReverted', TransactionRef & { readonly amount: number; readonly at: string }>;
define('ChargebackReverted', 'A chargeback mark was taken back.', {
  amount: positive(),
  at: isoDate(),
});

/** Every event the payments service publishes on Topics.paymentsEvents. */
export type PaymentsEvent =
  | PaymentApproved
  | PaymentDeclined
  | AuthorizationCaptured
  | ExternalPaymentRecorded
  | CodTransactionOpened
  | CodPaymentReceived
  | CodDeliveryFailed
  | ChargeSettled
  | ChargeVoided
  | VoidRequested
  | VoidFailed
  | RefundRequested
  | RefundSucceeded
  | RefundFailed
  | RefundQueued
  | RefundAbandoned
  | RefundEmailResent
  | ChargebackMarked
  | ChargebackReverted;

export type PaymentsEventType = PaymentsEvent['type'];

/** The event type strings, for consumers that dispatch on `type`. */
export const PAYMENTS_EVENT_TYPES = {
  PaymentApproved: 'PaymentApproved',
  PaymentDeclined: 'PaymentDeclined',
  AuthorizationCaptured: 'AuthorizationCaptured',
  ExternalPaymentRecorded: 'ExternalPaymentRecorded',
  CodTransactionOpened: 'CodTransactionOpened',
  CodPaymentReceived: 'CodPaymentReceived',
  CodDeliveryFailed: 'CodDeliveryFailed',
  ChargeSettled: 'ChargeSettled',
  ChargeVoided: 'ChargeVoided',
  VoidRequested: 'VoidRequested',
  VoidFailed: 'VoidFailed',
  RefundRequested: 'RefundRequested',
  RefundSucceeded: 'RefundSucceeded',
  RefundFailed: 'RefundFailed',
  RefundQueued: 'RefundQueued',
  RefundAbandoned: 'RefundAbandoned',
  RefundEmailResent: 'RefundEmailResent',
  ChargebackMarked: 'ChargebackMarked',
  ChargebackReverted: 'ChargebackReverted',
} as const satisfies { [K in PaymentsEventType]: K };

