import { Inject, Injectable } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { DeclaredConsumer, DeclaredConsumers, EventConsumer } from './event-consumer';
import { ConsumerOptions, Platform } from './platform';

/** A collaborator a consumer's handlers use. */
@Injectable()
class Notebook {
  readonly lines: string[] = [];
}

@EventConsumer({ groupId: 'notes', topics: ['notes.events.v1', 'other.events.v1'], dedup: false, maxAttempts: 3 })
class NotesConsumer implements DeclaredConsumer {
  constructor(@Inject(Notebook) private readonly notebook: Notebook) {}

  handlers(): ConsumerOptions['handlers'] {
    return { NoteWritten: async (message) => void this.notebook.lines.push(`written ${message.type}`) };
  }
}

@EventConsumer({ groupId: 'intake', topics: ['notes.intake.v1'], parse: 'message' })
class IntakeConsumer implements DeclaredConsumer {
  handlers(): ConsumerOptions['handlers'] {
    return { Note: async () => undefined };
  }
}

/** Has a handlers() method but is not declared: not a consumer. */
@Injectable()
class NotAConsumer {
  handlers(): ConsumerOptions['handlers'] {
    return {};
  }
}

/** What platform.consumer() was given, in order. */
async function registered(): Promise<{ registrations: ConsumerOptions[]; init: () => Promise<unknown>; notebook: Notebook }> {
  const registrations: ConsumerOptions[] = [];
  const platform = { consumer: (options: ConsumerOptions) => void registrations.push(options) };
  const moduleRef = await Test.createTestingModule({
    imports: [DiscoveryModule],
    providers: [{ provide: Platform, useValue: platform }, Notebook, NotesConsumer, IntakeConsumer, NotAConsumer, DeclaredConsumers],
  }).compile();
  return { registrations, init: () => moduleRef.init(), notebook: moduleRef.get(Notebook) };
}

describe('@EventConsumer: a consumer group declared on its class', () => {
  it('is registered with the platform when the module initialises, with the options it declares', async () => {
    const { registrations, init } = await registered();
    expect(registrations).toEqual([]);
    await init();
    const byGroup = Object.fromEntries(registrations.map(({ handlers: _handlers, ...options }) => [options.groupId, options]));
    expect(byGroup).toEqual({
      notes: { groupId: 'notes', topics: ['notes.events.v1', 'other.events.v1'], dedup: false, maxAttempts: 3 },
      intake: { groupId: 'intake', topics: ['notes.intake.v1'], parse: 'message' },
    });
  });

  it("registers the handlers the instance gives, which use what the class injected", async () => {
    const { registrations, init, notebook } = await registered();
    await init();
    const notes = registrations.find((options) => options.groupId === 'notes')!;
    expect(Object.keys(notes.handlers)).toEqual(['NoteWritten']);
    await notes.handlers.NoteWritten({ type: 'NoteWritten' } as never);
    expect(notebook.lines).toEqual(['written NoteWritten']);
  });

  it('registers no provider that is not declared, and each declared one once', async () => {
    const { registrations, init } = await registered();
    await init();
    expect(registrations.map((options) => options.groupId).sort()).toEqual(['intake', 'notes']);
  });
});
