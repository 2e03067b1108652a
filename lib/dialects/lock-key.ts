import { createHash } from 'node:crypto';

/** A stable 32-bit integer for a lock name (PostgreSQL advisory locks take integers). */
export function lockKey32(name: string): number {
  return createHash('sha1').update(name).digest().readInt32BE(0);
}

/** MySQL lock names are limited to 64 characters: keep readable ones, hash long ones. */
export function lockName64(name: string): string {
  if (name.length <= 64) return name;
  return `${name.slice(0, 23)}:${createHash('sha1').update(name).digest('hex')}`;
}

/** The lease table a Galera run locks with (see mysql-lease-lock.ts): never the models' business. */
export function leaseTableName(historyTable: string): string {
  return `${historyTable}_lock`;
}
