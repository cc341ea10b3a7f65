import { CardOnFile, ChargeFor, ChargeType, Command, CodUndeliveredStatus, RefundFailureOutcome } from '@continuum/contracts';

/** The gateway's answer to a charge, recorded as it came (a timeout is never recorded: it is retried or reported). */
export interface ChargeGatewayResult {
  readonly response: 'SUCCESS' | 'SOFT_DECLINE' | 'HARD_DECLINE';
  readonly gatewayTransactionId?: string;
  readonly message: string;
  readonly prepaid: boolean;
}

/** The gateway's answer to a void or a capture. */
export interface GatewayActionResult {
  readonly succeeded: boolean;
  readonly gatewayTransactionId?: string;
  readonly message: string;
  /** why a refund was refused, when the gateway says: NOT_SETTLED, the charge has not settled yet */
  readonly refusal?: 'NOT_SETTLED';
}

/**
 * Record the outcome of a card SALE or AUTHORIZE (the gateway was called before). The purpose (the
 * order's charge, a rerun, a rebill or one upsell item) is copied onto the event, so orders can tell
 * its own payment from an upsell's.
 */
export type RecordCharge = Command<
  'RecordCharge',
  ChargeFor & {
    readonly transactionId: string;
    readonly orderId: string;
    readonly customerId: string;
    readonly type: ChargeType;
    readonly amount: number;
    readonly currency: string;
    readonly card: CardOnFile;
    readonly merchantId: string;
    readonly gatewayResult: ChargeGatewayResult;
    /** the soft-declined transaction this charge reruns */
    readonly rerunOf?: string;
  }
>;

/** Record the capture of an approved authorization; `amount` defaults to all that was authorized. */
export type CaptureAuthorization = Command<
  'CaptureAuthorization',
  { readonly captureId: string; readonly amount?: number; readonly gatewayResult: GatewayActionResult }
>;

/** An EXTERNAL payment: shown with its amount, no money moves. */
export type RecordExternalPayment = Command<
  'RecordExternalPayment',
  { readonly transactionId: string; readonly orderId: string; readonly customerId: string; readonly amount: number; readonly currency: string }
>;

/** Open the COD transaction of a COD order ("COD Pending"). */
export type OpenCodTransaction = Command<
  'OpenCodTransaction',
  { readonly transactionId: string; readonly orderId: string; readonly customerId: string; readonly amount: number; readonly currency: string }
>;

/** The carrier delivered and collected the money. */
export type MarkCodPaid = Command<'MarkCodPaid', { readonly deliveryConfirmation: string; readonly date: string }>;

/** The carrier could not collect: reattempt/pickup keep it pending, DECLINED ends it. */
export type MarkCodUndelivered = Command<'MarkCodUndelivered', { readonly status: CodUndeliveredStatus }>;

/** The gateway settled the charge (a settle job or a settlement run decided it is due); settled at the command's time. */
export type Settle = Command<'Settle', Record<string, never>>;

/**
 * Reserve a void before the gateway is called (VoidRequested): settlement skips the charge until the
 * void is recorded (Void) or fails, so a settle job cannot slip between the gateway's void and its record.
 */
export type RequestVoid = Command<'RequestVoid', { readonly voidId: string }>;

/**
 * Record the gateway's answer to a void; `autoCancel` is the account option, copied onto the event.
 * After a RequestVoid a rejection is recorded (VoidFailed) and releases the reservation; without one
 * a rejection is refused (VOID_FAILED).
 */
export type Void = Command<'Void', { readonly voidId: string; readonly gatewayResult: GatewayActionResult; readonly autoCancel: boolean }>;

/** Ask for a refund of a settled charge; `amount` defaults to all that remains. No gateway call yet. */
export type RequestRefund = Command<'RequestRefund', { readonly refundId: string; readonly amount?: number }>;

/** Record one gateway attempt at a refund: 1 = the first try, 2..4 = the daily retries; timed at the command's time. */
export type RecordRefundAttempt = Command<
  'RecordRefundAttempt',
  {
    readonly refundId: string;
    readonly attempt: number;
    readonly succeeded: boolean;
    readonly message: string;
    readonly gatewayTransactionId?: string;
    /** why a failed attempt failed (default REJECTED): UNKNOWN when the gateway gave no answer */
    readonly outcome?: RefundFailureOutcome;
    /** the account option, copied onto RefundSucceeded */
    readonly autoCancel: boolean;
  }
>;

/** Send the customer's refund email again (a succeeded refund, or the void of this charge). */
export type ResendRefundEmail = Command<'ResendRefundEmail', { readonly refundId: string }>;

export type MarkChargeback = Command<
  'MarkChargeback',
  { readonly amount: number; readonly date: string; readonly reasonCode: string; readonly note?: string }
>;

export type RevertChargeback = Command<'RevertChargeback', Record<string, never>>;

/** Every command the transaction decider takes (stream `transaction-<transactionId>`). */
export type TransactionCommand =
  | RecordCharge
  | CaptureAuthorization
  | RecordExternalPayment
  | OpenCodTransaction
  | MarkCodPaid
  | MarkCodUndelivered
  | Settle
  | RequestVoid
  | Void
  | RequestRefund
  | RecordRefundAttempt
  | ResendRefundEmail
  | MarkChargeback
  | RevertChargeback;
