/**
 * Listing and search queries: validation of a `ListQuery`, the opaque page cursor, the SQL for one
 * page, and the translation of free text into a safe FTS5 expression. Pure functions, so tests can
 * run `EXPLAIN QUERY PLAN` on exactly the SQL the library executes.
 */
import { z } from 'zod';
import { JOB_STATUSES, PROVIDERS } from '../../../shared/domain';
import { InvalidInputError } from '../errors';
import { COUNTED_FILTERS } from './migrations/002-filter-counts';
import { ARCHIVE_STATES, LISTING_COLUMNS } from './rows';

/** `jobs.seq = created_at * SEQ_PER_MS + n`; see the schema notes in migrations/001-initial.ts. */
export const SEQ_PER_MS = 1024;
/** The latest creation time whose `seq` is still an exact JS number (year 2248). */
export const MAX_CREATED_AT = Math.floor(Number.MAX_SAFE_INTEGER / SEQ_PER_MS) - 1;

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

function oneOrMany<T extends z.ZodType>(item: T) {
  return z.union([item, z.array(item)]).optional();
}

const time = z.number().int().min(0).max(MAX_CREATED_AT);

/**
 * Filters combine with AND; a list of values matches any of them (an empty list is no filter).
 * `createdFrom` is inclusive and `createdTo` exclusive, both in ms, so consecutive ranges never
 * overlap. `sort` defaults to newest first. `cursor` is the `next` of the previous page.
 * `stacked` lists each family once, by its first job (see `FIRST_OF_FAMILY`); the filters and the
 * search text then apply to those first jobs. A `rootId` filter asks for one family whole, so it
 * turns stacking off.
 */
export const listQuerySchema = z.object({
  taskType: oneOrMany(z.string().min(1)),
  status: oneOrMany(z.enum(JOB_STATUSES)),
  provider: oneOrMany(z.enum(PROVIDERS)),
  modelVersion: oneOrMany(z.string().min(1)),
  aspectRatio: oneOrMany(z.string().min(1)),
  createdFrom: time.optional(),
  createdTo: time.optional(),
  favorite: z.boolean().optional(),
  archiveState: oneOrMany(z.enum(ARCHIVE_STATES)),
  rootId: z.string().min(1).optional(),
  stacked: z.boolean().optional(),
  sort: z.enum(['newest', 'oldest']).optional(),
  limit: z.number().int().min(1).max(MAX_PAGE_SIZE).optional(),
  cursor: z.string().nullable().optional(),
});
export type ListQuery = z.input<typeof listQuerySchema>;
export type SortOrder = 'newest' | 'oldest';

const FIELD_RULES: Record<string, string> = {
  taskType: 'taskType must be a task type name or a list of them.',
  status: `status must be one of ${JOB_STATUSES.join(', ')}.`,
  provider: `provider must be one of ${PROVIDERS.join(', ')}.`,
  modelVersion: 'modelVersion must be a version name or a list of them.',
  aspectRatio: 'aspectRatio must be a ratio such as 16:9, or a list of them.',
  createdFrom: 'createdFrom must be a time in milliseconds since 1970.',
  createdTo: 'createdTo must be a time in milliseconds since 1970.',
  favorite: 'favorite must be true or false.',
  archiveState: `archiveState must be one of ${ARCHIVE_STATES.join(', ')}.`,
  rootId: 'rootId must be a job id.',
  stacked: 'stacked must be true or false.',
  sort: 'sort must be newest or oldest.',
  limit: `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}.`,
  cursor: 'cursor must be the text returned as next by the previous page.',
};

type Scalar = string | number;

/** Column filters as SQL-ready value lists; absent or empty lists are no filter. */
interface ColumnFilters {
  task_type: string[];
  status: string[];
  provider: string[];
  model_version: string[];
  aspect_ratio: string[];
  favorite: number[];
  archive_state: string[];
  root_id: string[];
}

/** A validated query: filters, and the half-open `seq` window [lo, hi) the page may come from. */
export interface PageQuery {
  filters: ColumnFilters;
  /** Only the first job of each family (never together with a `root_id` filter). */
  stacked: boolean;
  sort: SortOrder;
  limit: number;
  lo: number;
  hi: number;
}

const SEQ_MIN = -Number.MAX_SAFE_INTEGER;
const SEQ_MAX = Number.MAX_SAFE_INTEGER;

function list<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? [...new Set(value)] : [value];
}

export function encodeCursor(sort: SortOrder, seq: number): string {
  return Buffer.from(`${sort === 'newest' ? 'n' : 'o'}${seq}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string, sort: SortOrder): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^([no])(-?\d{1,16})$/.exec(text);
  const seq = match ? Number(match[2]) : Number.NaN;
  if (!match || !Number.isSafeInteger(seq) || match[1] !== (sort === 'newest' ? 'n' : 'o')) {
    throw new InvalidInputError(
      'The page cursor is not valid for this listing; start again from the first page.',
      'cursor',
    );
  }
  return seq;
}

/** Validates a `ListQuery` from any caller and turns it into a `PageQuery`. */
export function toPageQuery(input: ListQuery): PageQuery {
  const parsed = listQuerySchema.safeParse(input ?? {});
  if (!parsed.success) {
    const field = String(parsed.error.issues[0]?.path[0] ?? '');
    throw new InvalidInputError(FIELD_RULES[field] ?? 'The list query is not valid.', field || undefined);
  }
  const q = parsed.data;
  const sort: SortOrder = q.sort ?? 'newest';
  let lo = q.createdFrom === undefined ? SEQ_MIN : q.createdFrom * SEQ_PER_MS;
  let hi = q.createdTo === undefined ? SEQ_MAX : q.createdTo * SEQ_PER_MS;
  if (q.cursor) {
    const after = decodeCursor(q.cursor, sort);
    if (sort === 'newest') hi = Math.min(hi, after);
    else lo = Math.max(lo, after + 1);
  }
  return {
    filters: {
      task_type: list(q.taskType),
      status: list(q.status),
      provider: list(q.provider),
      model_version: list(q.modelVersion),
      aspect_ratio: list(q.aspectRatio),
      favorite: q.favorite === undefined ? [] : [q.favorite ? 1 : 0],
      archive_state: list(q.archiveState),
      root_id: list(q.rootId),
    },
    stacked: q.stacked === true && q.rootId === undefined,
    sort,
    limit: q.limit ?? DEFAULT_PAGE_SIZE,
    lo,
    hi,
  };
}

/** What a page reads of each job: the listing columns, plus `seq` for the cursor. */
export const PAGE_COLUMNS = ['j.seq', ...LISTING_COLUMNS.map((c) => `j.${c}`)].join(', ');

export interface PageSql {
  sql: string;
  params: Scalar[];
}

export type FilterColumn = keyof ColumnFilters;

/** Each filter column's index: `(column, seq)`, see migrations/001-initial.ts. */
const FILTER_INDEXES: Record<FilterColumn, string> = {
  task_type: 'jobs_by_task_type',
  status: 'jobs_by_status',
  provider: 'jobs_by_provider',
  model_version: 'jobs_by_model_version',
  aspect_ratio: 'jobs_by_aspect_ratio',
  favorite: 'jobs_by_favorite',
  archive_state: 'jobs_by_archive_state',
  root_id: 'jobs_by_root',
};

/**
 * How a search page reads its rows. Both walk the full-text matches newest (or oldest) first and
 * stop at a full page, so they return the same rows in the same order:
 *
 * - `matches`: each match is joined to its job row and the filters are tested there.
 * - `matches-in-filter`: the `seq`s of one selective filter are first read off that filter's index
 *   into a temporary set, and a match is joined to its row only when it is in the set. Reading a job
 *   row costs about ten times what one entry of that set costs, because the rows of a large library do
 *   not fit the page cache while the filter indexes do, so a rare filter (expired outputs, a
 *   seldom-used model) no longer costs one row read per match of a common word.
 */
export type SearchPlan = { kind: 'matches' } | { kind: 'matches-in-filter'; column: FilterColumn };

const MATCHES: SearchPlan = { kind: 'matches' };

function activeFilters(page: PageQuery): [FilterColumn, Scalar[]][] {
  return (Object.entries(page.filters) as [FilterColumn, Scalar[]][]).filter(([, v]) => v.length > 0);
}

function equalsOrIn(column: string, values: readonly Scalar[]): string {
  return values.length === 1 ? `${column} = ?` : `${column} IN (${values.map(() => '?').join(', ')})`;
}

/** The `seq`s of jobs in the page's window that pass one filter, read from that filter's index only. */
function filterSeqsSql(page: PageQuery, column: FilterColumn): PageSql {
  const values = page.filters[column] as Scalar[];
  return {
    sql:
      `SELECT seq FROM jobs INDEXED BY ${FILTER_INDEXES[column]} ` +
      `WHERE ${equalsOrIn(column, values)} AND seq >= ? AND seq < ?`,
    params: [...values, page.lo, page.hi],
  };
}

/**
 * The stacked listing's test of a job: no job of its family was created before it. While the family's
 * root is in the library that is the root (`j.id = j.root_id`); once the root has been removed, its
 * follow-ups keep its `root_id` and the earliest of them stands for the family, rather than the whole
 * family dropping out of the stacked listing. It costs one probe of `jobs_by_root` (root_id, seq) per
 * job tested, and is a test on rows already found, never a way to find them: the page is still
 * walked in `seq` order by primary key, filter index or full-text matches.
 */
export const FIRST_OF_FAMILY =
  'NOT EXISTS (SELECT 1 FROM jobs f WHERE f.root_id = j.root_id AND f.seq < j.seq)';

/**
 * One page of jobs, newest or oldest first, as `SELECT … LIMIT limit + 1` (the extra row
 * tells whether there is a next page). Without `ftsMatch` the walk is over `jobs` by primary key or a
 * filter index; with it, over the FTS matches in rowid (= seq) order as `plan` says (see `SearchPlan`),
 * so a search page costs the matches it skips, never a sort of all of them.
 */
export function buildPageSql(page: PageQuery, ftsMatch?: string, plan: SearchPlan = MATCHES): PageSql {
  const params: Scalar[] = [];
  const where: string[] = [];
  const seq = ftsMatch === undefined ? 'j.seq' : 'jobs_fts.rowid';
  if (ftsMatch !== undefined) {
    where.push('jobs_fts MATCH ?');
    params.push(ftsMatch);
  }
  where.push(`${seq} >= ?`, `${seq} < ?`);
  params.push(page.lo, page.hi);
  if (ftsMatch !== undefined && plan.kind === 'matches-in-filter') {
    const set = filterSeqsSql(page, plan.column);
    // The unary + keeps the set a membership test on each match (a bloom filter, then the set)
    // instead of letting SQLite drive the full-text table with one lookup per set entry.
    where.push(`+jobs_fts.rowid IN (${set.sql})`);
    params.push(...set.params);
  }
  for (const [column, values] of activeFilters(page)) {
    where.push(equalsOrIn(`j.${column}`, values));
    params.push(...values);
  }
  if (page.stacked) where.push(FIRST_OF_FAMILY);
  params.push(page.limit + 1);
  const from = ftsMatch === undefined ? 'jobs j' : 'jobs_fts CROSS JOIN jobs j ON j.seq = jobs_fts.rowid';
  const direction = page.sort === 'newest' ? 'DESC' : 'ASC';
  return {
    sql: `SELECT ${PAGE_COLUMNS} FROM ${from} WHERE ${where.join(' AND ')} ORDER BY ${seq} ${direction} LIMIT ?`,
    params,
  };
}

/**
 * How many jobs each family of `rootIds` holds, as `(root_id, jobs)` rows: one probe of `jobs_by_root`
 * per family, counted off the index without reading a job row. The ids travel as one JSON parameter,
 * so a page of any size runs the same prepared statement.
 */
export function buildFamilySizesSql(rootIds: readonly string[]): PageSql {
  return {
    sql:
      'SELECT root_id, count(*) AS jobs FROM jobs INDEXED BY jobs_by_root ' +
      'WHERE root_id IN (SELECT value FROM json_each(?)) GROUP BY root_id',
    params: [JSON.stringify([...new Set(rootIds)])],
  };
}

/**
 * The largest filter that may become a set (about 6 ms to build at the measured cost). It bounds what a
 * wrong guess can cost: the number of matches is not known before they are read, and a word rarer than
 * the estimate below makes the set needless.
 */
export const FILTER_SET_MAX = 50_000;
/**
 * Costs measured on the benchmark library (250,000 jobs, CPU time), relative to adding one `seq` to a
 * filter set (about 0.13 µs): reading and testing a job row for a match (about 1.2 µs) and testing a
 * match against the set.
 */
const ROW_COST = 10;
const SET_TEST_COST = 0.6;

/**
 * How many jobs pass one filter. For the columns counted by triggers (migrations/002-filter-counts.ts)
 * this is their library-wide total, read off the counts table; a window narrower than the library
 * holds fewer, which only makes a set look dearer than it is. A family (`root_id`) is counted in the
 * page's window, stopping past `FILTER_SET_MAX`.
 */
export function buildFilterCountSql(page: PageQuery, column: FilterColumn): PageSql {
  const values = page.filters[column] as Scalar[];
  if ((COUNTED_FILTERS as readonly string[]).includes(column)) {
    return {
      sql: `SELECT coalesce(sum(jobs), 0) FROM job_filter_counts WHERE filter = ? AND ${equalsOrIn('value', values)}`,
      params: [column, ...values],
    };
  }
  const set = filterSeqsSql(page, column);
  return { sql: `SELECT count(*) FROM (${set.sql} LIMIT ?)`, params: [...set.params, FILTER_SET_MAX + 1] };
}

/** Whether the planner statistics exist (`ANALYZE` or `PRAGMA optimize` creates `sqlite_stat1`). */
export const HAS_PLANNER_STATS_SQL: PageSql = {
  sql: "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'sqlite_stat1'",
  params: [],
};

/**
 * The average number of jobs per family as the planner statistics last measured it (the second number
 * of `jobs_by_root`'s `sqlite_stat1` row, which SQLite rounds up), or 1 when the index was never
 * analyzed. Run it only where `HAS_PLANNER_STATS_SQL` counts the table: without it, it does not prepare.
 */
export const AVERAGE_FAMILY_SIZE_SQL: PageSql = {
  sql: "SELECT coalesce((SELECT max(1, CAST(substr(stat, instr(stat, ' ') + 1) AS REAL)) FROM sqlite_stat1 WHERE tbl = 'jobs' AND idx = 'jobs_by_root'), 1)",
  params: [],
};

/** Every job of the library: each has exactly one status. */
export const COUNT_JOBS_SQL: PageSql = {
  sql: "SELECT coalesce(sum(jobs), 0) FROM job_filter_counts WHERE filter = 'status'",
  params: [],
};

/**
 * Chooses the plan of a search page from cheap counts (`count` runs one of the count queries above and
 * returns its number). The most selective filter becomes a set when the matches the plain walk is
 * expected to read before the page is full cost more in row reads than building the set and testing
 * those matches against it. That expectation is the page size over the filters' combined share of the
 * library (treating them as independent), or the whole library when they leave less than a page. A
 * stacked page keeps one job per family of those, so its share is further divided by `familySize`,
 * the average jobs per family (see `AVERAGE_FAMILY_SIZE_SQL`); stacking alone, without a filter,
 * leaves nothing to make a set of.
 */
export function chooseSearchPlan(
  page: PageQuery,
  count: (query: PageSql) => number,
  familySize = 1,
): SearchPlan {
  const filters = activeFilters(page);
  if (filters.length === 0) return MATCHES;
  const jobs = Math.max(1, count(COUNT_JOBS_SQL));
  let best: { column: FilterColumn; jobs: number } | null = null;
  let share = page.stacked ? 1 / Math.max(1, familySize) : 1;
  for (const [column] of filters) {
    const n = count(buildFilterCountSql(page, column));
    share *= Math.min(1, n / jobs);
    if (n <= FILTER_SET_MAX && (best === null || n < best.jobs)) best = { column, jobs: n };
  }
  if (best === null) return MATCHES;
  const expectedReads = share === 0 ? jobs : Math.min(jobs, (page.limit + 1) / share);
  const setShare = Math.min(1, best.jobs / jobs);
  const plainCost = expectedReads * ROW_COST;
  const setCost = best.jobs + expectedReads * (SET_TEST_COST + setShare * ROW_COST);
  return setCost < plainCost ? { kind: 'matches-in-filter', column: best.column } : MATCHES;
}

/**
 * Free text → FTS5 expression: every whitespace-separated word is quoted (so `-`, `:`, `*`, quotes
 * and FTS keywords are just text), words are ANDed, and the last one also matches as a prefix, so
 * results follow the user's typing. Words without a letter or digit are dropped (the tokenizer would
 * drop them too). Returns null when nothing searchable remains.
 */
export function toFtsMatch(text: string): string | null {
  const words = text
    .normalize('NFC')
    .split(/\s+/u)
    .filter((w) => /[\p{L}\p{N}]/u.test(w));
  if (words.length === 0) return null;
  return words.map((w, i) => `"${w.replaceAll('"', '""')}"${i === words.length - 1 ? '*' : ''}`).join(' ');
}
