/**
 * The library listing: the query (search text, filters, sort), the ids loaded so far and the keyset
 * cursor of the next page. Pages load as the grid nears the end; views far from what is on screen
 * are evicted from the jobs cache and fetched again, a page per call, when scrolled back to.
 *
 * A listing can reach hundreds of thousands of ids, so they are kept as the pages they arrived in
 * (`PagedIds`): adding a page shares every page already loaded instead of copying the whole list.
 */
import { create } from 'zustand';
import type { JobsPage, ListQueryInput, RemovedJobsView, StackView } from '../../../shared/contract';
import { PROVIDERS, type JobStatus, type JobView, type Provider } from '../../../shared/domain';
import { call, failureMessage } from '../api';
import { localDayStart } from '../lib/format';
import { loadActivity, useActivity } from './activity';
import { cachedJobCount, evictJobs, fetchJob, getJob, putJobs, useJobs } from './jobs';
import { familyRoot } from './lineage';
import { PagedIds, type IdPage } from './paged-ids';
import { loadLibraryInfo } from './settings';
import { clearSelection, navigate, useUi } from './ui';

/** The first page is small so the grid shows quickly; later pages are larger, so fewer round trips. */
export const PAGE_SIZE = 120;
const NEXT_PAGE_SIZE = 240;
/**
 * The next page is asked for while fewer than this many jobs are loaded below the visible range:
 * two pages ahead, so even a fast fling finds the next page there before it reaches the end.
 */
const LOOKAHEAD = 2 * NEXT_PAGE_SIZE;
/**
 * Views kept on each side of the visible range when evicting: at least everything paging loads ahead
 * of it (the look-ahead and the page that answers it), or a page would be dropped as it arrives and
 * fetched again view by view when it scrolls into sight.
 */
const KEEP_AROUND = LOOKAHEAD + NEXT_PAGE_SIZE;
/** Cached views beyond this many trigger eviction of those far from the visible range. */
const CACHE_SOFT_LIMIT = 4 * KEEP_AROUND;

export const TYPE_FILTERS = [
  { value: 'imagine', label: 'Imagine', types: ['diffusion'] },
  { value: 'variation', label: 'Variations', types: ['variation', 'remix'] },
  { value: 'upscale', label: 'Upscales', types: ['upscale', 'enhance_upscale'] },
  { value: 'reroll', label: 'Rerolls', types: ['reroll'] },
  { value: 'blend', label: 'Blends', types: ['blend'] },
  { value: 'describe', label: 'Describe & shorten', types: ['describe', 'shorten'] },
  { value: 'edit', label: 'Edits, pans & zooms', types: ['pan', 'outpaint', 'inpaint', 'edit', 'retexture'] },
  { value: 'video', label: 'Videos', types: ['video_diffusion', 'extend_video', 'video_upscale'] },
] as const;

export const STATUS_FILTERS = [
  { value: 'completed', label: 'Done', statuses: ['completed'] },
  { value: 'active', label: 'In progress', statuses: ['submitting', 'queued', 'running'] },
  { value: 'failed', label: 'Failed', statuses: ['failed'] },
] as const satisfies ReadonlyArray<{ value: string; label: string; statuses: readonly JobStatus[] }>;

export const ARCHIVE_FILTER_OPTIONS = [
  { value: 'archived', label: 'Archived' },
  { value: 'pending', label: 'Downloading' },
  { value: 'partial', label: 'Partly archived' },
  { value: 'expired', label: 'Expired' },
  { value: 'error', label: 'Download failed' },
  { value: 'none', label: 'No files' },
] as const;

export const VERSION_OPTIONS = ['7', '6.1', '6', '8', '8.1', 'niji 6'] as const;
export const ASPECT_OPTIONS = [
  '1:1',
  '4:5',
  '5:4',
  '2:3',
  '3:2',
  '3:4',
  '4:3',
  '9:16',
  '16:9',
  '21:9',
] as const;

export interface LibraryFilters {
  type: string;
  status: string;
  /** A provider id (`legnext`, `leonardo`, `vidu`) or ''. */
  provider: string;
  modelVersion: string;
  aspectRatio: string;
  archive: string;
  /** Local dates, `yyyy-mm-dd`, both inclusive. */
  from: string;
  to: string;
  favorites: boolean;
  /** Only the family started by this job (its lineage root); shown as a removable chip. */
  rootId: string;
}

export const NO_FILTERS: LibraryFilters = {
  type: '',
  status: '',
  provider: '',
  modelVersion: '',
  aspectRatio: '',
  archive: '',
  from: '',
  to: '',
  favorites: false,
  rootId: '',
};

export type Sort = 'newest' | 'oldest';

interface LibraryState {
  text: string;
  filters: LibraryFilters;
  sort: Sort;
  ids: PagedIds;
  next: string | null;
  /** `loading`: the first page of the current query; `more`: a further page. */
  phase: 'idle' | 'loading' | 'more' | 'ready' | 'error';
  error: string | null;
  /** Bumped by every new query, so answers to an older one are dropped. */
  generation: number;
  /** "Stack families": one card per family (its first job), remembered across restarts. */
  stacked: boolean;
  /** Bumped whenever the families known for listed jobs change (see `stackOf`). */
  stacksVersion: number;
}

const STACKED_KEY = 'genvault.libraryStacked';

function storedStacked(): boolean {
  try {
    return localStorage.getItem(STACKED_KEY) === '1';
  } catch {
    return false;
  }
}

function storeStacked(stacked: boolean): void {
  try {
    localStorage.setItem(STACKED_KEY, stacked ? '1' : '0');
  } catch {
    // Private windows may refuse storage; the toggle then lasts for this session only.
  }
}

export const useLibrary = create<LibraryState>()(() => ({
  text: '',
  filters: NO_FILTERS,
  sort: 'newest',
  ids: PagedIds.EMPTY,
  next: null,
  phase: 'idle',
  error: null,
  generation: 0,
  stacked: storedStacked(),
  stacksVersion: 0,
}));

/** Whether the listing is stacked: the toggle is on and no family filter asks for one family whole. */
export function isStacking(s: Pick<LibraryState, 'stacked' | 'filters'>): boolean {
  return s.stacked && !s.filters.rootId;
}

export function activeFilterCount(f: LibraryFilters): number {
  return (
    [f.type, f.status, f.provider, f.modelVersion, f.aspectRatio, f.archive, f.rootId].filter(Boolean)
      .length +
    (f.from || f.to ? 1 : 0) +
    (f.favorites ? 1 : 0)
  );
}

/** Filters set in the filter bar (not the Favorites toggle, not the family chip): the Filters button's count. */
export function panelFilterCount(f: LibraryFilters): number {
  return activeFilterCount(f) - (f.favorites ? 1 : 0) - (f.rootId ? 1 : 0);
}

function isProvider(value: string): value is Provider {
  return (PROVIDERS as readonly string[]).includes(value);
}

export function toListQuery(
  filters: LibraryFilters,
  sort: Sort,
  cursor: string | null,
  limit: number,
  stacked = false,
): ListQueryInput {
  const q: ListQueryInput = { sort, limit, cursor };
  if (stacked && !filters.rootId) q.stacked = true;
  const type = TYPE_FILTERS.find((t) => t.value === filters.type);
  if (type) q.taskType = [...type.types];
  const status = STATUS_FILTERS.find((s) => s.value === filters.status);
  if (status) q.status = [...status.statuses];
  if (isProvider(filters.provider)) q.provider = filters.provider;
  if (filters.rootId) q.rootId = filters.rootId;
  if (filters.modelVersion) q.modelVersion = filters.modelVersion;
  if (filters.aspectRatio) q.aspectRatio = filters.aspectRatio;
  const archive = ARCHIVE_FILTER_OPTIONS.find((a) => a.value === filters.archive);
  if (archive) q.archiveState = archive.value;
  const from = localDayStart(filters.from);
  const to = localDayStart(filters.to);
  if (from !== undefined) q.createdFrom = from;
  // The date input is inclusive; the query's upper bound is exclusive: the start of the next day.
  if (to !== undefined) q.createdTo = to + 24 * 60 * 60 * 1000;
  if (filters.favorites) q.favorite = true;
  return q;
}

/**
 * Every id of the current listing, for the membership test each `job` event makes (a scan of a
 * quarter of a million ids per event would be felt while jobs run). Kept in step with `ids`.
 */
const listed = new Set<string>();

function listIds(ids: readonly string[]): void {
  for (const id of ids) listed.add(id);
}

/**
 * The family of each listed job of a stacked listing, as the pages said; like `listed`, module state
 * kept in step with `ids` (a copy per page would cost as much as the ids themselves), with
 * `stacksVersion` bumped in the same update so views re-read it.
 */
const stacks = new Map<string, StackView>();

function putStacks(page: JobsPage): void {
  for (const [id, stack] of Object.entries(page.stacks ?? {})) stacks.set(id, stack);
}

/** The family a stacked listing shows job `id` for (undefined when not stacked or not yet known). */
export function stackOf(id: string): StackView | undefined {
  return stacks.get(id);
}

function fetchPage(cursor: string | null, limit = PAGE_SIZE): Promise<JobsPage> {
  const { text, filters, sort, stacked } = useLibrary.getState();
  const query = toListQuery(filters, sort, cursor, limit, stacked);
  const trimmed = text.trim();
  return trimmed ? call('jobs.search', { text: trimmed, query }) : call('jobs.list', query);
}

/** Runs the current query from its first page. */
export async function reloadLibrary(): Promise<void> {
  const generation = useLibrary.getState().generation + 1;
  useLibrary.setState({ generation, phase: 'loading', error: null });
  try {
    const page = await fetchPage(null);
    if (useLibrary.getState().generation !== generation) return;
    putJobs(page.items);
    const ids = page.items.map((j) => j.id);
    listed.clear();
    listIds(ids);
    stacks.clear();
    putStacks(page);
    useLibrary.setState((s) => ({
      ids: PagedIds.of(ids, null),
      next: page.next,
      phase: 'ready',
      stacksVersion: s.stacksVersion + 1,
    }));
  } catch (err) {
    if (useLibrary.getState().generation !== generation) return;
    listed.clear();
    stacks.clear();
    useLibrary.setState((s) => ({
      ids: PagedIds.EMPTY,
      next: null,
      phase: 'error',
      error: failureMessage(err),
      stacksVersion: s.stacksVersion + 1,
    }));
  }
}

/** Loads the page after the last one, once; a no-op while loading or at the end. */
export async function loadMore(): Promise<void> {
  const state = useLibrary.getState();
  if (state.phase !== 'ready' || state.next === null) return;
  const { generation, next } = state;
  useLibrary.setState({ phase: 'more' });
  try {
    const page = await fetchPage(next, NEXT_PAGE_SIZE);
    if (useLibrary.getState().generation !== generation) return;
    putJobs(page.items);
    // Keyset pages never overlap, and jobs added at the head since (see refreshHead) are newer than
    // any later page: appending needs no de-duplication.
    const ids = page.items.map((j) => j.id);
    listIds(ids);
    putStacks(page);
    useLibrary.setState((s) => ({
      ids: s.ids.append(ids, next),
      next: page.next,
      phase: 'ready',
      stacksVersion: s.stacksVersion + 1,
    }));
  } catch (err) {
    if (useLibrary.getState().generation !== generation) return;
    useLibrary.setState({ phase: 'ready', error: failureMessage(err) });
  }
}

let searchTimer: ReturnType<typeof setTimeout> | undefined;
const SEARCH_DEBOUNCE_MS = 250;

/** Typing in the search box: the text shows at once, the query runs once typing pauses. */
export function setSearchText(text: string): void {
  useLibrary.setState({ text });
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => void reloadLibrary(), SEARCH_DEBOUNCE_MS);
}

/** Opens the library searching for `text` at once (a tag clicked elsewhere), keeping the filters. */
export function searchLibraryFor(text: string): void {
  clearTimeout(searchTimer);
  clearSelection();
  useLibrary.setState({ text });
  navigate({ view: 'library' });
  void reloadLibrary();
}

export function setFilter<K extends keyof LibraryFilters>(key: K, value: LibraryFilters[K]): void {
  useLibrary.setState((s) => ({ filters: { ...s.filters, [key]: value } }));
  void reloadLibrary();
}

export function clearFilters(): void {
  useLibrary.setState({ filters: NO_FILTERS });
  void reloadLibrary();
}

/** Shows only `jobId`'s family (its first job and everything made from it), in the library. */
export async function showFamily(jobId: string): Promise<void> {
  const rootId = await familyRoot(jobId);
  clearSelection();
  useLibrary.setState((s) => ({ filters: { ...s.filters, rootId } }));
  navigate({ view: 'library' });
  await reloadLibrary();
}

export function setSort(sort: Sort): void {
  useLibrary.setState({ sort });
  void reloadLibrary();
}

/** Turns "Stack families" on or off, remembered for the next start. */
export function setStacked(stacked: boolean): void {
  storeStacked(stacked);
  clearSelection();
  useLibrary.setState({ stacked });
  void reloadLibrary();
}

/** Whether a job belongs in the listing's current query, judged by the filters the view can see. */
function isQueryNeutral(): boolean {
  const { text, filters } = useLibrary.getState();
  return text.trim() === '' && activeFilterCount(filters) === 0;
}

let refreshTimer: ReturnType<typeof setTimeout> | undefined;

/**
 * A job the listing does not show yet was created or changed: fetch the head of the query again and
 * add the jobs that are new, keeping everything already loaded (and the scroll position) in place.
 */
function scheduleHeadRefresh(): void {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => void refreshHead(), 200);
}

async function refreshHead(): Promise<void> {
  const { generation, sort, ids } = useLibrary.getState();
  if (sort === 'oldest') {
    // New jobs come last in this order. A listing that fits in one page is simply asked again; a
    // longer one shows them once the person re-sorts or searches.
    if (ids.length < PAGE_SIZE) await reloadLibrary();
    return;
  }
  try {
    const page = await fetchPage(null);
    const state = useLibrary.getState();
    if (state.generation !== generation) return;
    putJobs(page.items);
    // A family that grew (a follow-up finished) shows its new size even when no card is new.
    putStacks(page);
    const fresh = page.items.filter((j) => !listed.has(j.id)).map((j) => j.id);
    if (fresh.length === 0 && !page.stacks) return;
    listIds(fresh);
    useLibrary.setState({
      ids: fresh.length > 0 ? state.ids.prepend(fresh) : state.ids,
      stacksVersion: state.stacksVersion + 1,
    });
  } catch {
    // The listing stays as it was; the next event or reload tries again.
  }
}

/**
 * Called for every `job` event. In a stacked listing a follow-up never gets a card of its own: it
 * refreshes the head once it has ended, for its family's new size.
 */
export function noteJobChanged(job: JobView): void {
  const state = useLibrary.getState();
  if (state.phase === 'idle' || listed.has(job.id)) return;
  const mayBeListed = isQueryNeutral() && !(isStacking(state) && job.parent !== null);
  if (mayBeListed || job.status === 'completed' || job.status === 'failed') scheduleHeadRefresh();
}

/** Pages whose views are being fetched again, so a range reported on every frame asks once. */
const refetching = new Set<IdPage>();

/** Fetches the views of a page that were evicted: one listing call when its cursor is known. */
function refetchViews(page: IdPage, missing: readonly string[]): void {
  if (page.cursor === undefined) {
    for (const id of missing) void fetchJob(id).catch(() => undefined);
    return;
  }
  if (refetching.has(page)) return;
  refetching.add(page);
  const { generation } = useLibrary.getState();
  fetchPage(page.cursor, page.ids.length)
    .then((answer) => {
      if (useLibrary.getState().generation !== generation) return;
      putJobs(answer.items);
      if (answer.stacks) {
        putStacks(answer);
        useLibrary.setState((s) => ({ stacksVersion: s.stacksVersion + 1 }));
      }
      // Asked again from the same cursor, a job that does not come back has left the listing
      // elsewhere (removed by the CLI or another window): drop it rather than wait for it forever.
      const returned = new Set(answer.items.map((job) => job.id));
      const gone = missing.filter((id) => !returned.has(id));
      if (gone.length > 0) forgetRemovedJobs(gone);
    })
    .catch(() => {
      for (const id of missing) void fetchJob(id).catch(() => undefined);
    })
    .finally(() => refetching.delete(page));
}

/**
 * The grid reports the range it renders, and whether it shows the jobs' content there (not during a
 * fling, whose light cards need no view). Near the end the next page is loaded; views missing in the
 * range are fetched again, a page at a time; when the cache is large, views far from the range are
 * dropped.
 */
export function showingRange(first: number, last: number, needsViews = true): void {
  const { ids } = useLibrary.getState();
  if (last >= ids.length - LOOKAHEAD) void loadMore();
  if (needsViews) {
    const end = last + 1;
    for (const page of ids.pagesIn(first, end)) {
      const missing = page.ids.filter((id) => !getJob(id));
      if (missing.length > 0) refetchViews(page, missing);
    }
  }
  if (cachedJobCount() > CACHE_SOFT_LIMIT) {
    const keep = new Set(ids.slice(Math.max(0, first - KEEP_AROUND), last + KEEP_AROUND + 1));
    evictJobs((id) => keep.has(id));
  }
}

// ── removal ─────────────────────────────────────────────────────────────────────────────────────

/** The most jobs one `jobs.remove` call takes (the contract's limit). */
export const MAX_REMOVE = 2000;

/** The jobs a "Remove…" confirmation is open for (the library's selection, or the job on screen). */
export const useRemoval = create<{ ids: string[] | null }>()(() => ({ ids: null }));

/** Opens the confirmation for `ids`; nothing is removed until `removeJobs` runs. */
export function askToRemove(ids: readonly string[]): void {
  if (ids.length > 0) useRemoval.setState({ ids: [...ids] });
}

export function dismissRemoval(): void {
  useRemoval.setState({ ids: null });
}

/**
 * Removes jobs through the core and, once it has, forgets them everywhere the renderer holds them. A
 * refusal (a job still being made or downloaded) rejects with the core's message and changes nothing.
 */
export async function removeJobs(ids: readonly string[]): Promise<RemovedJobsView> {
  const result = await call('jobs.remove', { ids: [...ids] });
  forgetRemovedJobs(result.removed);
  return result;
}

/**
 * Removed jobs whose views are still in the jobs cache: a view showing one (the detail it was removed
 * from, Activity) pins it until that view lets go, and eviction skips pinned views.
 */
const removedButCached = new Set<string>();

/**
 * Evicts the views of removed jobs that nothing pins any more. Called after a removal, and by a view
 * that pinned one when it lets go, so going back to a removed job finds it gone rather than a stale view.
 */
export function dropRemovedFromCache(): void {
  if (removedButCached.size === 0) return;
  evictJobs((id) => !removedButCached.has(id));
  for (const id of removedButCached) if (!getJob(id)) removedButCached.delete(id);
}

/**
 * Drops removed jobs from the listing (page by page, so each page keeps its keyset cursor: fetching
 * from that cursor again returns exactly the page's remaining jobs, since the removed rows are gone),
 * the selection, the keyboard focus, the preview and the jobs cache; and refreshes what depends on them.
 */
function forgetRemovedJobs(removed: readonly string[]): void {
  if (removed.length === 0) return;
  const gone = new Set(removed);
  // A removed card that stood for a larger family leaves the rest of it to the next first job, which
  // may sit anywhere in the listing: the listing is read again.
  const state = useLibrary.getState();
  const stackGone = isStacking(state) && removed.some((id) => (stacks.get(id)?.jobs ?? 1) > 1);
  for (const id of gone) stacks.delete(id);
  const before = state.ids;
  let ids = PagedIds.EMPTY;
  for (const page of before.pagesIn(0, before.length)) {
    ids = ids.append(
      page.ids.filter((id) => !gone.has(id)),
      page.cursor,
    );
  }
  for (const id of gone) listed.delete(id);
  useLibrary.setState({ ids });

  // The focused card keeps its place: it moves up by the removed cards before it.
  const ui = useUi.getState();
  const removedBefore = before.slice(0, ui.focusIndex).filter((id) => gone.has(id)).length;
  const expanded = { ...ui.expanded };
  for (const id of gone) delete expanded[id];
  useUi.setState({
    selection: ui.selection.filter((id) => !gone.has(id)),
    anchor: ui.anchor !== null && gone.has(ui.anchor) ? null : ui.anchor,
    focusIndex: Math.max(0, Math.min(ids.length - 1, ui.focusIndex - removedBefore)),
    expanded,
    preview: ui.preview && gone.has(ui.preview.jobId) ? null : ui.preview,
  });

  // Follow-ups of a removed job stay, without the link to it: their cached views are asked again.
  const orphans = Object.values(useJobs.getState().byId).filter(
    (job) => job.parent !== null && gone.has(job.parent.id) && !gone.has(job.id),
  );
  for (const id of gone) removedButCached.add(id);
  dropRemovedFromCache();
  for (const job of orphans) void fetchJob(job.id).catch(() => undefined);

  // Everything loaded was removed but more pages exist: load them rather than show an empty library.
  if (stackGone || (ids.length === 0 && useLibrary.getState().next !== null)) void reloadLibrary();
  // Activity pins the jobs it lists: once it has listed again, the removed ones it held can go too.
  if (useActivity.getState().loaded) void loadActivity().then(dropRemovedFromCache);
  void loadLibraryInfo().catch(() => undefined);
}
