import { randomUUID } from 'node:crypto';
import { EventEnvelope } from '@continuum/contracts';
import { eventually, ServiceUnderTest, useServiceUnderTest } from '@continuum/testing';
import { JournalEntry } from '../src/domain';
import { ProjectionsModule } from '../src/projections.module';

/** The projections service on the run's own topics; the probe publishes as the other services do. */
export function useProjectionsService(env: Record<string, string> = {}) {
  const sut: ServiceUnderTest = useServiceUnderTest({ service: 'projections', module: ProjectionsModule, env, wait: { timeoutMs: 30_000 } });

  /** Publishes a fixture event on its own topic, keyed by its stream, as its service would (envelope only). */
  const publish = async (...entries: JournalEntry[]): Promise<EventEnvelope[]> => {
    const sent: EventEnvelope[] = [];
    for (const { topic, origin: _origin, ...envelope } of entries) {
      const published = { ...envelope, eventId: randomUUID() };
      await sut.probe.publishEnvelope(topic, published);
      sent.push(published);
    }
    return sent;
  };

  /** The history once `ready` holds for it (polls GET /customers/:id/history). */
  const historyWhen = (customerId: string, ready: (history: any) => boolean, query = ''): Promise<any> =>
    eventually(
      async () => {
        const answer = await sut.http.get(`/customers/${customerId}/history${query}`);
        return answer.status === 200 && ready(answer.body) ? answer.body : undefined;
      },
      `history of ${customerId}`,
      { timeoutMs: 30_000 },
    );

  return { ...sut, sut, publish, historyWhen };
}

export const uid = (label: string) => `${label}-${randomUUID().slice(0, 8)}`;
