import { initial } from './001-initial';
import { filterCounts } from './002-filter-counts';
import type { Migration } from './types';

export type { Migration } from './types';

/** Every schema step, oldest first; versions are 1, 2, 3… without gaps. */
export const MIGRATIONS: readonly Migration[] = [initial, filterCounts];
