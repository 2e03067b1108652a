export type * from './schema';
export type * from './operations';
export type * from './options';
export type * from './results';
export type * from './migrations';
export type * from './hooks';
export type * from './errors';
export type * from './migrator';
