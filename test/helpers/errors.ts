import type { ExecutionContext } from 'ava';
import { MigrationError } from '../../lib';

/** Asserts that `promise` rejects with our error of `code`, and returns it. */
export async function rejectsWith<E extends MigrationError = MigrationError>(t: ExecutionContext, promise: Promise<unknown>, code: string): Promise<E> {
  const error = await t.throwsAsync(promise);
  t.true(error instanceof MigrationError, `expected a MigrationError, got ${String(error)}`);
  t.is((error as MigrationError).code, code as never, (error as Error).message);
  return error as E;
}
