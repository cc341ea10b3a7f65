import { DomainEvent, Reaction } from '@continuum/contracts';
import { fold, reactionSpec } from './reaction-spec';

type Shipped = DomainEvent<'Shipped', { orderId: string }>;
type Work = { type: 'MarkDelivered'; data: { orderId: string; cause: string } };
const onShipped: Reaction<Shipped, boolean, Work> = (event, open) => (open ? [{ type: 'MarkDelivered', data: { orderId: event.data.orderId, cause: event.eventId } }] : []);
const shipped: Shipped = { type: 'Shipped', data: { orderId: 'o-1' } };

describe('reactionSpec', () => {
  it('passes the event with its id and the given state to the reaction, and compares the work', () => {
    expect(reactionSpec(onShipped).given(true).when(shipped, 'e-7').then([{ type: 'MarkDelivered', data: { orderId: 'o-1', cause: 'e-7' } }])).toHaveLength(1);
    reactionSpec(onShipped).given(false).when(shipped).thenNothing();
  });

  it('fails when the reaction decides other work, or some work where none was expected', () => {
    expect(() => reactionSpec(onShipped).given(true).when(shipped, 'e-7').then([])).toThrow();
    expect(() => reactionSpec(onShipped).given(true).when(shipped).thenNothing()).toThrow();
  });

  it('folds events with a decider for the given state', () => {
    expect(fold({ initialState: () => 0, evolve: (n: number, e: { by: number }) => n + e.by }, [{ by: 2 }, { by: 3 }])).toBe(5);
  });
});
