import { Collection, Connection } from 'mongoose';
import { Actor } from '@continuum/contracts';
import { insertOnce } from '../store/insert-once';
import { RUNS_COLLECTION, RunProgress, RunRecord } from './run-record';

/**
 * The run records (`runs`, `_id` = run id) of a service. Single-document writes only (FerretDB has
 * no transactions): an insert starts a run, conditional updates move it on; a run that is no longer
 * RUNNING is not written to by a late progress update.
 */
export class RunStore {
  private readonly runs: Collection<RunRecord>;

  constructor(
    connection: Connection,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.runs = connection.collection<RunRecord>(RUNS_COLLECTION);
  }

  /**
   * Records a run as RUNNING. The same run id again (a retried request with the same Idempotency-Key,
   * a job tried again) starts it over under that id and keeps its progress; answers the record.
   */
  async begin(runId: string, kind: string, startedBy: Actor, queued: boolean): Promise<RunRecord> {
    const now = this.clock().toISOString();
    const record: RunRecord = { _id: runId, kind, status: 'RUNNING', startedAt: now, progress: { done: 0, total: 0 }, startedBy, queued, updatedAt: now };
    if ((await insertOnce(this.runs, record)) === 'inserted') return record;
    await this.runs.updateOne({ _id: runId }, { $set: { status: 'RUNNING', updatedAt: now }, $unset: { finishedAt: '', error: '', result: '' } });
    return (await this.get(runId)) ?? record;
  }

  async progress(runId: string, progress: RunProgress): Promise<void> {
    await this.runs.updateOne({ _id: runId, status: 'RUNNING' }, { $set: { progress: { done: progress.done, total: progress.total }, updatedAt: this.clock().toISOString() } });
  }

  async finish(runId: string, result: unknown, progress: RunProgress): Promise<void> {
    const now = this.clock().toISOString();
    await this.runs.updateOne({ _id: runId }, { $set: { status: 'DONE', finishedAt: now, updatedAt: now, result, progress: { done: progress.done, total: progress.total } } });
  }

  /** Marks a run FAILED with the error's message (never a stack, never input). */
  async fail(runId: string, error: string): Promise<void> {
    const now = this.clock().toISOString();
    await this.runs.updateOne({ _id: runId, status: { $ne: 'DONE' } }, { $set: { status: 'FAILED', finishedAt: now, updatedAt: now, error } });
  }

  async get(runId: string): Promise<RunRecord | undefined> {
    return (await this.runs.findOne({ _id: runId })) ?? undefined;
  }
}
