import { mongo } from 'mongoose';

/** MongoDB's (and FerretDB's) error code for a write that broke a unique key (`_id` or a unique index). */
export const DUPLICATE_KEY = 11000;

/** Whether a write failed because a document with the same unique key exists (code 11000). */
export function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === DUPLICATE_KEY;
}

/**
 * Inserts `doc` unless a document with its unique key is there: 'inserted', or 'exists' (nothing
 * written). The one atomic "first writer wins" both stores share (FerretDB has no transactions);
 * any other failure is thrown.
 */
export async function insertOnce<T extends mongo.Document>(collection: mongo.Collection<T>, doc: mongo.OptionalUnlessRequiredId<T>, options?: mongo.InsertOneOptions): Promise<'inserted' | 'exists'> {
  try {
    await collection.insertOne(doc, options);
    return 'inserted';
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    return 'exists';
  }
}

/** Runs a write and answers true, or false when it broke a unique key (an upsert whose insert collided); other failures are thrown. */
export async function unlessDuplicateKey(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    return false;
  }
}
