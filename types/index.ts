export type * from './schema';
export type * from './operations';
export type * from './options';
export type * from './errors';
export type * from './migrator';
export type * from './squash';
