import { DomainEvent } from '@continuum/contracts';
import { AggregateRunner, CommandInput } from './aggregate-runner';
import { CommandContext } from './command-context';
import { CommandRunner, PlanResult } from './command-runner';
import { onStream, runReactionWork, workStep } from './reaction-work';

type Note = { type: 'Note'; data: { text: string }; metadata: { now: string; actor: never } };

/** An aggregate whose react() records what it was asked (the grouping is what is under test here). */
class RecordingAggregate extends AggregateRunner<Note, DomainEvent, null> {
  readonly calls: Array<{ id: string; commands: readonly CommandInput<Note>[]; key: string | undefined }>;
  constructor(
    prefix: string,
    private readonly log: string[],
  ) {
    super({} as CommandRunner, { decider: { decide: () => [], evolve: () => null, initialState: () => null }, streamId: (id) => `${prefix}-${id}` });
    this.calls = [];
  }
  override async react(id: string, plan: (state: null) => readonly CommandInput<Note>[], context: CommandContext): Promise<PlanResult<Note, null, DomainEvent>> {
    const commands = plan(null);
    this.calls.push({ id, commands, key: context.idempotencyKey });
    this.log.push(`${this.streamOf(id)}:${commands.map((command) => command.data.text).join('+')}`);
    return { state: null, events: [], version: 0, replayed: false, planned: [] } as unknown as PlanResult<Note, null, DomainEvent>;
  }
}

const context: CommandContext = { correlationId: 'corr-1', causationId: 'evt-1', actor: { kind: 'service', id: 'test' }, idempotencyKey: 'group:evt-1' };
const note = (text: string): CommandInput<Note> => ({ type: 'Note', data: { text } }) as CommandInput<Note>;

describe('runReactionWork', () => {
  it('appends the commands of one stream together, at the place of the first, under the reaction key; steps get keys of their own', async () => {
    const log: string[] = [];
    const purchases = new RecordingAggregate('purchase', log);
    const orders = new RecordingAggregate('order', log);
    await runReactionWork(
      [
        onStream(purchases, 'p-1', note('a')),
        workStep('email:o-1', async (step) => void log.push(`step ${step.idempotencyKey}`)),
        onStream(orders, 'o-1', note('b')),
        onStream(purchases, 'p-1', note('c')),
        onStream(purchases, 'p-2', note('d')),
      ],
      context,
    );
    expect(log).toEqual(['purchase-p-1:a+c', 'step group:evt-1:email:o-1', 'order-o-1:b', 'purchase-p-2:d']);
    expect(purchases.calls.map((call) => call.key)).toEqual(['group:evt-1', 'group:evt-1']);
  });

  it('refuses a step name used twice (two steps under one key would replay one as the other)', async () => {
    const run = async () => undefined;
    await expect(runReactionWork([workStep('refund:o-1', run), workStep('refund:o-1', run)], context)).rejects.toThrow(/twice/);
  });

  it('refuses one stream reached through two aggregates', async () => {
    const log: string[] = [];
    await expect(runReactionWork([onStream(new RecordingAggregate('x', log), '1', note('a')), onStream(new RecordingAggregate('x', log), '1', note('b'))], context)).rejects.toThrow(/two aggregates/);
    expect(log).toEqual([]);
  });

  it('does nothing for no work', async () => {
    await expect(runReactionWork([], context)).resolves.toBeUndefined();
  });
});
