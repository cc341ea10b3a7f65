// What must hold once a chaos run's load and faults are over, read where a user reads it (the
// services' APIs, through their round-robin agents) and waited for within one deadline:
// - every accepted order is terminal: COMPLETE for card and recurring orders, COD_PENDING for COD
//   orders (their cash is collected at delivery, which only the fulfillment house reports);
// - a card order has exactly one approved charge (SALE, SUCCESS) and it is for the order's total;
// - each order has exactly one fulfillment; a recurring order exactly one purchase;
// - each order is in its customer's history (projections).
import { HttpAgent } from '@continuum/testing';
import { PlacedOrder } from './load';

export interface OrderVerdict {
  readonly order: PlacedOrder;
  /** the order's status as orders last answered it */
  status?: string;
  /** what does not hold (empty: all holds) */
  problems: string[];
}

export interface Agents {
  readonly orders: HttpAgent;
  readonly payments: HttpAgent;
  readonly fulfillment: HttpAgent;
  readonly subscriptions: HttpAgent;
  readonly projections: HttpAgent;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const TERMINAL: Record<PlacedOrder['kind'], string> = { card: 'COMPLETE', recurring: 'COMPLETE', cod: 'COD_PENDING' };

async function list(agent: HttpAgent, path: string): Promise<any[] | string> {
  try {
    const answer = await agent.get(path).timeout(15_000);
    return answer.status === 200 && Array.isArray(answer.body) ? answer.body : `${path} answered ${answer.status}`;
  } catch (error) {
    return `${path}: ${String((error as Error).message ?? error)}`;
  }
}

/** The problems of one accepted order now (empty when every check holds). */
export async function checkOrder(agents: Agents, order: PlacedOrder, verdict: OrderVerdict): Promise<string[]> {
  const problems: string[] = [];
  const id = order.orderId!;
  let total: number | undefined;
  try {
    const answer = await agents.orders.get(`/orders/${id}`).timeout(15_000);
    if (answer.status !== 200) problems.push(`GET /orders/${id} answered ${answer.status}`);
    else {
      verdict.status = answer.body.status;
      total = answer.body.totals?.total;
      if (answer.body.status !== TERMINAL[order.kind]) problems.push(`status ${answer.body.status}, expected ${TERMINAL[order.kind]}`);
    }
  } catch (error) {
    problems.push(`GET /orders/${id}: ${String((error as Error).message ?? error)}`);
  }
  if (order.kind !== 'cod') {
    const rows = await list(agents.payments, `/transactions?orderId=${id}`);
    if (typeof rows === 'string') problems.push(rows);
    else {
      const approved = rows.filter((row) => row.type === 'SALE' && row.response === 'SUCCESS');
      if (approved.length !== 1) problems.push(`${approved.length} approved charges, expected 1`);
      else if (total !== undefined && approved[0].amount !== total) problems.push(`charged ${approved[0].amount}, the order's total is ${total}`);
    }
  }
  const fulfillments = await list(agents.fulfillment, `/fulfillments?orderId=${id}`);
  if (typeof fulfillments === 'string') problems.push(fulfillments);
  else if (fulfillments.length !== 1) problems.push(`${fulfillments.length} fulfillments, expected 1`);
  if (order.kind === 'recurring') {
    const purchases = await list(agents.subscriptions, `/purchases?orderId=${id}`);
    if (typeof purchases === 'string') problems.push(purchases);
    else if (purchases.length !== 1) problems.push(`${purchases.length} purchases, expected 1`);
  }
  try {
    const history = await agents.projections.get(`/customers/${order.customerId}/history`).timeout(15_000);
    if (history.status !== 200) problems.push(`history of ${order.customerId} answered ${history.status}`);
    else if (!(history.body.orders ?? []).some((o: { orderId: string }) => o.orderId === id)) problems.push(`not in the history of ${order.customerId}`);
  } catch (error) {
    problems.push(`history of ${order.customerId}: ${String((error as Error).message ?? error)}`);
  }
  return problems;
}

/**
 * Checks every accepted order again and again until all hold or `deadlineMs` passes (the services
 * catch up on what the faults held back: a killed instance's consumer groups rejoin after its session,
 * 30 s); answers a verdict per order, its problems as last seen.
 */
export async function settle(agents: Agents, orders: readonly PlacedOrder[], deadlineMs: number): Promise<OrderVerdict[]> {
  const verdicts: OrderVerdict[] = orders.filter((o) => o.outcome === 'accepted').map((order) => ({ order, problems: ['not checked yet'] }));
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const open = verdicts.filter((v) => v.problems.length > 0);
    // a few at a time: the instances share two cores with the stack
    for (let i = 0; i < open.length; i += 8) {
      await Promise.all(open.slice(i, i + 8).map(async (verdict) => (verdict.problems = await checkOrder(agents, verdict.order, verdict))));
    }
    if (verdicts.every((v) => v.problems.length === 0) || Date.now() >= deadline) return verdicts;
    await sleep(2_000);
  }
}
