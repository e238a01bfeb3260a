/**
 * The library: search, filters (provider and family included) and sort over every job, "Stack
 * families" (one card per family), the virtualized grid, and bulk actions on the selection (favorites,
 * export, show in the file manager, copy, remove).
 */
import { useEffect, useRef, useState } from 'react';
import { failureMessage } from '../../api';
import { Icon } from '../../components/Icon';
import { EmptyState, Spinner } from '../../components/ui';
import { formatNumber, pluralize } from '../../lib/format';
import { coverOutput, imagesOf, promptText, viewableOutputs } from '../../lib/jobs';
import { fetchJob, getJob, setFavorite, useJob } from '../../store/jobs';
import {
  ARCHIVE_FILTER_OPTIONS,
  ASPECT_OPTIONS,
  STATUS_FILTERS,
  TYPE_FILTERS,
  VERSION_OPTIONS,
  activeFilterCount,
  askToRemove,
  clearFilters,
  isStacking,
  panelFilterCount,
  reloadLibrary,
  setFilter,
  setSearchText,
  setSort,
  setStacked,
  useLibrary,
  type LibraryFilters,
} from '../../store/library';
import { MAX_SLOTS, MIN_SLOTS, clearBlend, placeImages } from '../../store/blend';
import { placeDescribeImage, setTab } from '../../store/describe';
import { copyOutputImage, exportRefsOf, requestExport, revealOutput, useOutputs } from '../../store/outputs';
import { useSettings } from '../../store/settings';
import { clearSelection, navigate, toast, useUi } from '../../store/ui';
import { LibraryGrid } from './LibraryGrid';
import { PROVIDER_OPTIONS } from './provider';
import { RemoveJobsDialog } from './RemoveJobsDialog';
import { StackIcon } from './StackIcon';
import '../../styles/stacks.css';

function FilterSelect({
  id,
  label,
  value,
  options,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  options: ReadonlyArray<{ value: string; label: string }>;
  onChange(value: string): void;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} className="select input-sm" value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">Any</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

const asOptions = (values: readonly string[]) => values.map((v) => ({ value: v, label: v }));
const VERSION_LABELS = VERSION_OPTIONS.map((v) => ({
  value: v,
  label: v.startsWith('niji') ? `Niji ${v.slice(5)}` : `V${v}`,
}));

function FilterBar({ filters }: { filters: LibraryFilters }) {
  return (
    <div className="filter-bar" role="group" aria-label="Filters">
      <FilterSelect
        id="filter-type"
        label="Type"
        value={filters.type}
        options={TYPE_FILTERS}
        onChange={(v) => setFilter('type', v)}
      />
      <FilterSelect
        id="filter-status"
        label="Status"
        value={filters.status}
        options={STATUS_FILTERS}
        onChange={(v) => setFilter('status', v)}
      />
      <FilterSelect
        id="filter-provider"
        label="Provider"
        value={filters.provider}
        options={PROVIDER_OPTIONS}
        onChange={(v) => setFilter('provider', v)}
      />
      <FilterSelect
        id="filter-version"
        label="Model"
        value={filters.modelVersion}
        options={VERSION_LABELS}
        onChange={(v) => setFilter('modelVersion', v)}
      />
      <FilterSelect
        id="filter-aspect"
        label="Aspect ratio"
        value={filters.aspectRatio}
        options={asOptions(ASPECT_OPTIONS)}
        onChange={(v) => setFilter('aspectRatio', v)}
      />
      <FilterSelect
        id="filter-archive"
        label="Archive"
        value={filters.archive}
        options={ARCHIVE_FILTER_OPTIONS}
        onChange={(v) => setFilter('archive', v)}
      />
      <div className="field">
        <label htmlFor="filter-from">From</label>
        <input
          id="filter-from"
          type="date"
          className="input input-sm"
          value={filters.from}
          max={filters.to || undefined}
          onChange={(e) => setFilter('from', e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="filter-to">To</label>
        <input
          id="filter-to"
          type="date"
          className="input input-sm"
          value={filters.to}
          min={filters.from || undefined}
          onChange={(e) => setFilter('to', e.target.value)}
        />
      </div>
      {activeFilterCount(filters) > 0 ? (
        <button type="button" className="btn btn-ghost btn-sm filter-clear" onClick={clearFilters}>
          Clear filters
        </button>
      ) : null}
    </div>
  );
}

/**
 * "Family of “a lighthouse in fog”" with a button that removes the family filter. A family whose first
 * job was removed (its follow-ups stay, as a stacked card shows them) has no graph to open.
 */
function FamilyChip({ rootId }: { rootId: string }) {
  const root = useJob(rootId);
  const [missing, setMissing] = useState<string | null>(null);
  useEffect(() => {
    if (!getJob(rootId)) void fetchJob(rootId).catch(() => setMissing(rootId));
  }, [rootId]);
  const gone = missing === rootId && !root;
  const name = root ? promptText(root) : gone ? 'a removed job' : 'one job';
  return (
    <div className="filter-chips" role="group" aria-label="Active family filter">
      <span className="filter-chip">
        <Icon name="family" size={14} />
        <span className="filter-chip-text">
          Family of <q>{name}</q>
        </span>
        <button
          type="button"
          className="filter-chip-remove"
          aria-label="Show every job again (remove the family filter)"
          title="Remove the family filter"
          onClick={() => setFilter('rootId', '')}
        >
          <Icon name="close" size={12} />
        </button>
      </span>
      {gone ? null : (
        <button
          type="button"
          className="btn btn-ghost btn-sm"
          onClick={() => navigate({ view: 'lineage', id: rootId })}
        >
          <Icon name="family" size={14} /> Family graph
        </button>
      )}
    </div>
  );
}

function SingleActions({ id }: { id: string }) {
  const job = useJob(id);
  const canReveal = useSettings((s) => s.library?.canReveal === true);
  if (!job) return null;
  const cover = coverOutput(job);
  const copyable = cover && cover.kind !== 'video' && cover.state === 'archived' ? cover : undefined;
  const revealed = viewableOutputs(job).find((o) => o.state === 'archived');
  return (
    <>
      <button type="button" className="btn btn-sm" onClick={() => navigate({ view: 'job', id })}>
        Open
      </button>
      <button type="button" className="btn btn-sm" onClick={() => navigate({ view: 'lineage', id })}>
        <Icon name="family" size={14} /> Family
      </button>
      {copyable ? (
        <button type="button" className="btn btn-sm" onClick={() => void copyOutputImage(job, copyable)}>
          <Icon name="copy" size={14} /> Copy image
        </button>
      ) : null}
      {canReveal ? (
        <button type="button" className="btn btn-sm" onClick={() => void revealOutput(job, revealed)}>
          <Icon name="folder" size={14} /> Reveal
        </button>
      ) : null}
    </>
  );
}

function SelectionBar({ selection }: { selection: string[] }) {
  const exporting = useOutputs((s) => s.busy);
  const apply = (favorite: boolean) => {
    for (const id of selection) {
      setFavorite(id, favorite).catch((err: unknown) => toast(failureMessage(err), 'danger'));
    }
  };
  // The first image of each selected job: what "Blend" and "Describe" take from a selection.
  const firstImages = () =>
    selection.flatMap((id) => {
      const job = getJob(id);
      const image = job ? imagesOf(job)[0] : undefined;
      return job && image ? [{ kind: 'output' as const, jobId: job.id, index: image.index }] : [];
    });
  const blendSelection = () => {
    const images = firstImages();
    if (images.length < MIN_SLOTS) {
      toast('Select at least two jobs with images to blend.', 'info');
      return;
    }
    clearBlend();
    placeImages(images);
    navigate({ view: 'blend' });
  };
  const describeSelection = () => {
    const images = firstImages();
    if (images.length === 0) {
      toast('This job has no image to describe.', 'info');
      return;
    }
    setTab('describe');
    void placeDescribeImage(images);
    navigate({ view: 'describe' });
  };
  const exportSelection = async () => {
    try {
      const refs = await exportRefsOf(selection);
      await requestExport(refs, pluralize(selection.length, 'job'));
    } catch (err) {
      toast(failureMessage(err), 'danger');
    }
  };
  return (
    <div className="selection-bar" role="region" aria-label="Selection">
      <strong>{formatNumber(selection.length)} selected</strong>
      {selection.length === 1 ? <SingleActions id={selection[0]!} /> : null}
      {selection.length >= MIN_SLOTS && selection.length <= MAX_SLOTS ? (
        <button type="button" className="btn btn-sm" onClick={blendSelection}>
          <Icon name="blend" size={14} /> Blend
        </button>
      ) : null}
      {selection.length === 1 ? (
        <button type="button" className="btn btn-sm" onClick={describeSelection}>
          <Icon name="describe" size={14} /> Describe
        </button>
      ) : null}
      <button
        type="button"
        className="btn btn-sm"
        disabled={exporting}
        onClick={() => void exportSelection()}
      >
        <Icon name="export" size={14} /> Export…
      </button>
      <button type="button" className="btn btn-sm" onClick={() => apply(true)}>
        <Icon name="star" size={14} /> Add to favorites
      </button>
      <button type="button" className="btn btn-sm" onClick={() => apply(false)}>
        Remove from favorites
      </button>
      <span className="spacer" />
      <span className="muted small hide-narrow">
        <kbd>Enter</kbd> open · <kbd>Space</kbd> preview · <kbd>F</kbd> favorite
      </span>
      <button type="button" className="btn btn-ghost btn-sm" onClick={clearSelection}>
        Clear
      </button>
      <button
        type="button"
        className="btn btn-danger btn-sm"
        aria-keyshortcuts="Delete"
        title="Remove the selected jobs from the library (Delete)"
        onClick={() => askToRemove(selection)}
      >
        <Icon name="trash" size={14} /> Remove…
      </button>
    </div>
  );
}

export function LibraryView() {
  const text = useLibrary((s) => s.text);
  const filters = useLibrary((s) => s.filters);
  const sort = useLibrary((s) => s.sort);
  const phase = useLibrary((s) => s.phase);
  const error = useLibrary((s) => s.error);
  const count = useLibrary((s) => s.ids.length);
  const hasMore = useLibrary((s) => s.next !== null);
  const stacked = useLibrary((s) => s.stacked);
  const stacking = useLibrary(isStacking);
  const selection = useUi((s) => s.selection);
  const filterCount = activeFilterCount(filters);
  const panelCount = panelFilterCount(filters);
  const [filtersOpen, setFiltersOpen] = useState(panelCount > 0);
  const searchRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (useLibrary.getState().phase === 'idle') void reloadLibrary();
    // "/" jumps to the search box from anywhere in the library, as in most galleries; Escape clears
    // the selection wherever focus is (the grid, or a button of the selection bar).
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target?.closest('input, textarea, select, dialog')) return;
      if (e.key === '/') {
        e.preventDefault();
        searchRef.current?.focus();
      } else if (e.key === 'Escape' && useUi.getState().selection.length > 0) {
        e.preventDefault();
        clearSelection();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const searching = text.trim() !== '' || filterCount > 0;
  // Stacked, each card is a family (a job alone counts as a family of one).
  const [one, many] = stacking ? ['family', 'families'] : ['job', 'jobs'];
  const countLabel =
    phase === 'loading'
      ? 'Loading…'
      : `${formatNumber(count)}${hasMore ? '+' : ''} ${count === 1 && !hasMore ? one : many}${searching ? ' found' : ''}`;

  let body;
  if (phase === 'loading' && count === 0) {
    body = (
      <div className="center-fill">
        <Spinner label="Loading the library" />
      </div>
    );
  } else if (phase === 'error') {
    body = (
      <EmptyState
        icon="alert"
        title="The library could not be loaded"
        action={
          <button type="button" className="btn" onClick={() => void reloadLibrary()}>
            Try again
          </button>
        }
      >
        {error}
      </EmptyState>
    );
  } else if (count === 0 && searching) {
    body = (
      <EmptyState
        icon="search"
        title="Nothing matches"
        action={
          <button
            type="button"
            className="btn"
            onClick={() => {
              setSearchText('');
              clearFilters();
            }}
          >
            Clear search and filters
          </button>
        }
      >
        No job matches {text.trim() ? <>“{text.trim()}”</> : 'these filters'}. Try other words or fewer
        filters.
      </EmptyState>
    );
  } else if (count === 0) {
    body = (
      <EmptyState
        icon="compose"
        title="No generations yet — Compose your first"
        action={
          <button type="button" className="btn btn-primary" onClick={() => navigate({ view: 'compose' })}>
            <Icon name="compose" size={16} /> Compose
          </button>
        }
      >
        Everything you make is downloaded, checked and kept here, so it stays yours after Legnext deletes it.
      </EmptyState>
    );
  } else {
    body = <LibraryGrid label="Jobs" />;
  }

  return (
    <section className="view" aria-labelledby="library-title">
      <header className="view-header">
        <h1 id="library-title">Library</h1>
        <span className="muted small" aria-live="polite">
          {countLabel}
        </span>
        <span className="spacer" />
        <button type="button" className="btn btn-primary" onClick={() => navigate({ view: 'compose' })}>
          <Icon name="compose" size={16} /> New
        </button>
      </header>
      <div className="toolbar">
        <div className="search">
          <Icon name="search" size={16} className="search-icon" />
          <input
            ref={searchRef}
            type="search"
            className="input"
            placeholder="Search prompts, descriptions and tags"
            aria-label="Search the library"
            value={text}
            onChange={(e) => setSearchText(e.target.value)}
          />
        </div>
        <button
          type="button"
          className="btn"
          aria-pressed={filters.favorites}
          onClick={() => setFilter('favorites', !filters.favorites)}
        >
          <Icon name="star" size={16} filled={filters.favorites} /> Favorites
        </button>
        <button
          type="button"
          className="btn"
          aria-pressed={stacked}
          title="One card per family: its first job, with how many jobs the family holds"
          onClick={() => setStacked(!stacked)}
        >
          <StackIcon size={16} /> Stack families
        </button>
        <button
          type="button"
          className="btn"
          aria-expanded={filtersOpen}
          aria-controls="library-filters"
          onClick={() => setFiltersOpen((o) => !o)}
        >
          <Icon name="filter" size={16} /> Filters
          {panelCount > 0 ? <span className="count">{panelCount}</span> : null}
        </button>
        <div className="segmented" role="radiogroup" aria-label="Sort">
          {(['newest', 'oldest'] as const).map((s) => (
            <button key={s} type="button" role="radio" aria-checked={sort === s} onClick={() => setSort(s)}>
              {s === 'newest' ? 'Newest' : 'Oldest'}
            </button>
          ))}
        </div>
      </div>
      <div id="library-filters" hidden={!filtersOpen}>
        {filtersOpen ? <FilterBar filters={filters} /> : null}
      </div>
      {filters.rootId ? <FamilyChip rootId={filters.rootId} /> : null}
      {stacking && searching ? (
        <p className="stack-hint">
          <StackIcon size={14} /> Stacked: filters and search match each family&apos;s first job.
        </p>
      ) : null}
      {selection.length > 0 ? <SelectionBar selection={selection} /> : null}
      <div className="library-body">{body}</div>
      <RemoveJobsDialog />
    </section>
  );
}
