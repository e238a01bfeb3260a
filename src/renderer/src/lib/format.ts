/** Display formatting: dates, durations, sizes and points, in the person's locale. */

const DAY_MS = 24 * 60 * 60 * 1000;

const dateTime = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const shortDate = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const shortDateTime = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const integer = new Intl.NumberFormat();

export function formatDateTime(iso: string | null): string {
  if (!iso) return '—';
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? '—' : dateTime.format(ms);
}

export function formatShortDate(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? '' : shortDate.format(ms);
}

export function formatShortDateTime(ms: number): string {
  return shortDateTime.format(ms);
}

/** Whole days from now until `iso`, rounded up: "expires in 1 day" until the very last moment. */
export function daysUntil(iso: string, now: number): number {
  return Math.ceil((Date.parse(iso) - now) / DAY_MS);
}

export function pluralize(n: number, one: string, many = `${one}s`): string {
  return `${integer.format(n)} ${n === 1 ? one : many}`;
}

export function formatPoints(points: number): string {
  return pluralize(points, 'point');
}

export function formatNumber(n: number): string {
  return integer.format(n);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

/** Elapsed time since `iso`, short: "12 s", "3 min", "2 h". */
export function formatElapsed(iso: string | null, now: number): string {
  if (!iso) return '';
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.round(minutes / 60)} h`;
}

export function formatDuration(ms: number | null): string {
  if (ms === null) return '';
  const total = Math.round(ms / 1000);
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

/** `yyyy-mm-dd` of a local date input → ms at local midnight, or undefined when empty/invalid. */
export function localDayStart(value: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return undefined;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])).getTime();
}

export function shortId(id: string): string {
  return id.replace(/-/g, '').slice(-8);
}
