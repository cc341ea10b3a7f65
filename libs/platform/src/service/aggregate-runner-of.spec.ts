import { Inject, Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Command, Decider, DomainEvent } from '@continuum/contracts';
import { CommandRunner } from '../commands';
import { aggregateRunner } from './aggregate-runner-of';
import { Platform } from './platform';

type NoteCommand = Command<'WriteNote', { text: string }> | Command<'EraseNote', Record<string, never>>;
type NoteEvent = DomainEvent<'NoteWritten', { text: string }>;
// the recording runner below never calls it
const noteDecider = {} as Decider<NoteCommand, NoteEvent, { text: string | null }>;
const NOON = new Date('2026-03-01T12:00:00.000Z');

const NOTE_PREFIX = Symbol('NOTE_PREFIX');

@Injectable()
class NoteAggregate extends aggregateRunner({ decider: noteDecider, streamId: (id) => `note-${id}`, startsStream: ['WriteNote'] }, () => NOON) {
  @Inject(NOTE_PREFIX) private readonly prefix!: string;

  write(id: string, text: string) {
    return this.run(id, { type: 'WriteNote', data: { text: `${this.prefix}${text}` } }, { correlationId: 'c-1', causationId: null, actor: { kind: 'agent', id: 'a-1' } });
  }
}

describe('aggregateRunner: an aggregate provider made by Nest from its definition', () => {
  it("runs its commands through the platform's command runner, on its streams, with its clock and what it injected", async () => {
    const runs: Parameters<CommandRunner['run']>[0][] = [];
    const commands = { run: async (request: Parameters<CommandRunner['run']>[0]) => void runs.push(request) } as unknown as CommandRunner;
    const moduleRef = await Test.createTestingModule({
      providers: [{ provide: Platform, useValue: { commands } }, { provide: NOTE_PREFIX, useValue: 'memo: ' }, NoteAggregate],
    }).compile();

    const notes = moduleRef.get(NoteAggregate);
    await notes.write('n-1', 'buy milk');

    expect(notes.streamOf('n-1')).toBe('note-n-1');
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      streamId: 'note-n-1',
      decider: noteDecider,
      command: { type: 'WriteNote', data: { text: 'memo: buy milk' }, metadata: { now: NOON.toISOString(), actor: { kind: 'agent', id: 'a-1' } } },
      assumeNew: true,
    });
  });
});
