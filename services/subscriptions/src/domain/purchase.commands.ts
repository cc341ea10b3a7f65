import {
  CampaignLimits,
  CampaignProduct,
  CancelSource,
  CancelWhen,
  Command,
  OrderItem,
  PurchaseBilled,
  PurchaseRebillDeclined,
  PurchaseRebillNotBilled,
  SalesTax,
} from '@continuum/contracts';

/** Starts the purchase of one recurring item of a completed order (the reaction to OrderCompleted/OrderApproved). */
export type StartPurchase = Command<
  'StartPurchase',
  {
    readonly purchaseId: string;
    readonly customerId: string;
    readonly orderId: string;
    readonly campaignId: string;
    readonly currency: string;
    readonly item: OrderItem;
    /** when the order completed (the event's time) */
    readonly orderDate: string;
    readonly transactionId?: string;
    readonly timeZone: string;
    /** interval lengths the account bills monthly on the same day (MONTHLY_INTERVAL_DAYS) */
    readonly monthlyIntervalDays: readonly number[];
  }
>;

/**
 * Update purchase: the raw fields as the agent sent them, so a fixed one (billingType, trialType) is
 * refused by name.
 */
export type UpdatePurchase = Command<
  'UpdatePurchase',
  {
    readonly changes: Readonly<Record<string, unknown>>;
    /** the campaign's order limits, as the campaign catalog knows them (absent: DEFAULT_ORDER_LIMITS) */
    readonly limits?: CampaignLimits;
  }
>;
export type RestartTrial = Command<'RestartTrial', Record<string, never>>;
export type SkipTrial = Command<'SkipTrial', Record<string, never>>;
export type CancelPurchase = Command<
  'CancelPurchase',
  { readonly when: CancelWhen; readonly date?: string; readonly reason: string; readonly source: CancelSource }
>;
export type PausePurchase = Command<'PausePurchase', { readonly reason?: string }>;
export type ResumePurchase = Command<'ResumePurchase', Record<string, never>>;
export type ForceBill = Command<'ForceBill', Record<string, never>>;
export type ChangeProduct = Command<
  'ChangeProduct',
  {
    readonly productId: string;
    /** the campaign's product of that id, when the campaign has one */
    readonly product?: CampaignProduct;
    readonly applyProductDetails: boolean;
    readonly monthlyIntervalDays: readonly number[];
    /** the campaign's order limits, as the campaign catalog knows them (absent: DEFAULT_ORDER_LIMITS) */
    readonly limits?: CampaignLimits;
  }
>;
export type ReactivatePurchase = Command<'ReactivatePurchase', Record<string, never>>;
/** A billing run: bill the purchase when it is due by `asOf` (an instant), or let a dated cancellation take effect. */
export type BillIfDue = Command<'BillIfDue', { readonly asOf: string }>;
/** A recycle retry came due (a delayed job). */
/** `retry`: the n-th recycle retry of the cycle (PurchaseRecycleScheduled.attempt). */
export type RetryBill = Command<'RetryBill', { readonly billingCycle: number; readonly retry: number }>;
/** orders placed the rebill order of a requested bill (the request in flight for that cycle). */
export type RecordRebillOrder = Command<'RecordRebillOrder', { readonly orderId: string; readonly billingCycle: number }>;

/** payments' answer as the purchase records it (`at`: when the gateway answered; absent, the command's time) */
type ChargeOutcome = Pick<PurchaseBilled['data'], 'orderId' | 'transactionId' | 'amount' | 'currency' | 'cardLast4' | 'cardBrand' | 'message'> & { readonly at?: string };
export type RecordRebillApproved = Command<'RecordRebillApproved', ChargeOutcome>;
export type RecordRebillDeclined = Command<
  'RecordRebillDeclined',
  ChargeOutcome & Pick<PurchaseRebillDeclined['data'], 'response'> & { readonly recycleDelaysMs: readonly number[] }
>;
/**
 * A requested bill ended without a charge: orders refused its rebill order (REFUSED, from RebillRefused),
 * QA declined the order (QA_DECLINED), it was cancelled (ORDER_CANCELLED) or payments' charge status
 * says its card was never charged (NOT_CHARGED: the rebill-resolve sweeper or resolve-rebill).
 */
export type RecordRebillNotBilled = Command<'RecordRebillNotBilled', Omit<PurchaseRebillNotBilled['data'], 'purchaseId' | 'customerId' | 'at'> & { readonly at?: string }>;
/**
 * The rebill-outcome sweeper: a bill requested at least `timeoutMs` ago whose order never came (nor a
 * refusal) is requested again, as the same request (same cycle and attempt: orders finds the order it
 * placed, or refuses it now).
 */
export type RequestRebillAgain = Command<'RequestRebillAgain', { readonly timeoutMs: number }>;
export type RecordFulfillment = Command<
  'RecordFulfillment',
  { readonly fulfillmentId: string; readonly orderId: string; readonly status: string; readonly trackingNumber?: string; readonly at: string }
>;

export type PurchaseCommand =
  | StartPurchase
  | UpdatePurchase
  | RestartTrial
  | SkipTrial
  | CancelPurchase
  | PausePurchase
  | ResumePurchase
  | ForceBill
  | ChangeProduct
  | ReactivatePurchase
  | BillIfDue
  | RetryBill
  | RecordRebillOrder
  | RecordRebillApproved
  | RecordRebillDeclined
  | RecordRebillNotBilled
  | RequestRebillAgain
  | RecordFulfillment;

/** The fields of Update purchase an agent may send; everything else is refused by name. */
export const UPDATABLE_FIELDS = ['price', 'shippingPrice', 'quantity', 'unitPrice', 'nextBillDate', 'salesTax', 'merchantId', 'finalBillCycle', 'insureShipment'] as const;
/** Fixed by the offer: shown, never edited. */
export const FIXED_FIELDS = ['billingType', 'trialType'] as const;

export type { SalesTax };
