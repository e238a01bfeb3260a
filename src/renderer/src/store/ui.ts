/**
 * UI state: the current route (kept in the URL hash so a reload lands on the same view), the
 * library selection and keyboard focus, the large preview, and toasts.
 */
import { create } from 'zustand';

export type Route =
  | { view: 'library' }
  | { view: 'compose' }
  | { view: 'blend' }
  | { view: 'describe' }
  | { view: 'activity' }
  /** `section` scrolls Settings to one of its panels (`#/settings/image-host`). */
  | { view: 'settings'; section?: 'image-host' }
  | { view: 'job'; id: string }
  | { view: 'lineage'; id: string };

export type ToastTone = 'info' | 'success' | 'danger';

export interface Toast {
  id: number;
  tone: ToastTone;
  message: string;
  action?: { label: string; route: Route };
}

export interface Preview {
  jobId: string;
  /** Position within the job's viewable outputs. */
  position: number;
}

interface UiState {
  route: Route;
  /** Selected job ids in the library, in the order they were selected. */
  selection: string[];
  /** The job a shift-click range starts from. */
  anchor: string | null;
  /** Index (in the library list) of the card that holds keyboard focus. */
  focusIndex: number;
  /** Library cards showing their four images instead of the grid. */
  expanded: Record<string, true>;
  preview: Preview | null;
  toasts: Toast[];
  /** The first-launch screen is up (no key was set when the app opened). */
  welcome: boolean;
}

export function parseHash(hash: string): Route {
  const path = hash.replace(/^#\/?/, '');
  const [head, arg] = path.split('/');
  switch (head) {
    case 'compose':
      return { view: 'compose' };
    case 'blend':
      return { view: 'blend' };
    case 'describe':
      return { view: 'describe' };
    case 'activity':
      return { view: 'activity' };
    case 'settings':
      return arg === 'image-host' ? { view: 'settings', section: arg } : { view: 'settings' };
    case 'job':
      return arg ? { view: 'job', id: decodeURIComponent(arg) } : { view: 'library' };
    case 'lineage':
      return arg ? { view: 'lineage', id: decodeURIComponent(arg) } : { view: 'library' };
    default:
      return { view: 'library' };
  }
}

export function routeHash(route: Route): string {
  if (route.view === 'job' || route.view === 'lineage')
    return `#/${route.view}/${encodeURIComponent(route.id)}`;
  if (route.view === 'settings' && route.section) return `#/settings/${route.section}`;
  return `#/${route.view}`;
}

export const useUi = create<UiState>()(() => ({
  route: parseHash(window.location.hash),
  selection: [],
  anchor: null,
  focusIndex: 0,
  expanded: {},
  preview: null,
  toasts: [],
  welcome: false,
}));

export function navigate(route: Route): void {
  const hash = routeHash(route);
  if (window.location.hash !== hash) window.location.hash = hash;
  useUi.setState({ route });
}

/** Keeps the route in step with back/forward and hand-edited URLs. */
export function followHash(): () => void {
  const onChange = () => useUi.setState({ route: parseHash(window.location.hash) });
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

let nextToastId = 1;
const TOAST_MS = { info: 4000, success: 4000, danger: 8000 } as const;

export function toast(message: string, tone: ToastTone = 'info', action?: Toast['action']): void {
  const id = nextToastId++;
  useUi.setState((s) => ({
    toasts: [...s.toasts.slice(-3), { id, tone, message, ...(action ? { action } : {}) }],
  }));
  setTimeout(() => dismissToast(id), TOAST_MS[tone]);
}

export function dismissToast(id: number): void {
  useUi.setState((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
}

// ── selection ───────────────────────────────────────────────────────────────────────────────────

/** Click: select only this job. Ctrl/Cmd-click: toggle it. Shift-click: the range from the anchor. */
export function selectJob(
  id: string,
  mode: 'only' | 'toggle' | 'range',
  orderedIds: readonly string[],
): void {
  useUi.setState((s) => {
    if (mode === 'toggle') {
      const selected = s.selection.includes(id);
      return { selection: selected ? s.selection.filter((x) => x !== id) : [...s.selection, id], anchor: id };
    }
    if (mode === 'range' && s.anchor !== null) {
      const from = orderedIds.indexOf(s.anchor);
      const to = orderedIds.indexOf(id);
      if (from !== -1 && to !== -1) {
        const [lo, hi] = from < to ? [from, to] : [to, from];
        return { selection: orderedIds.slice(lo, hi + 1) };
      }
    }
    return { selection: [id], anchor: id };
  });
}

export function clearSelection(): void {
  useUi.setState({ selection: [], anchor: null });
}

export function setFocusIndex(index: number): void {
  useUi.setState({ focusIndex: index });
}

export function toggleExpanded(id: string): void {
  useUi.setState((s) => {
    const expanded = { ...s.expanded };
    if (expanded[id]) delete expanded[id];
    else expanded[id] = true;
    return { expanded };
  });
}

export function openPreview(jobId: string, position = 0): void {
  useUi.setState({ preview: { jobId, position } });
}

export function closePreview(): void {
  useUi.setState({ preview: null });
}

/**
 * The library's scroll offset, restored when coming back from a job's detail. Kept outside the store:
 * it changes on every scroll event and nothing renders from it.
 */
let libraryScroll = 0;

export function rememberLibraryScroll(offset: number): void {
  libraryScroll = offset;
}

export function savedLibraryScroll(): number {
  return libraryScroll;
}

export function showWelcome(): void {
  useUi.setState({ welcome: true });
}

export function dismissWelcome(): void {
  useUi.setState({ welcome: false });
}
