/**
 * Injected faults: each rule answers the next `times` requests it matches with a failure instead of
 * (or on top of) the normal response, so clients can be tested against the ways real networks and
 * gateways fail.
 *
 * On API routes, `status500/502/503`, `rate429*`, `html200`, `malformedJson` and `reset` stand in for
 * the API: the request is never processed (no job is created, nothing is charged). `truncate` and
 * `slow` wrap the real response: a submit is processed and only its answer is damaged or delayed.
 * On the CDN, `reset`, `truncate` and `slow` damage or delay the real file.
 */

export type FaultKind =
  | 'status500'
  | 'status502'
  | 'status503'
  | 'rate429'
  | 'rate429RetryAfter'
  | 'reset'
  | 'truncate'
  | 'slow'
  | 'html200'
  | 'malformedJson';

/** `submit`: POST /api/v1/*; `poll`: GET /api/v1/job/*; `balance`: GET /api/account/balance; `cdn`: /cdn/*. */
export type FaultTarget = 'submit' | 'poll' | 'cdn' | 'balance' | 'any';

export interface FaultRule {
  target: FaultTarget;
  kind: FaultKind;
  /** How many matching requests the rule affects; default 1. */
  times?: number;
  /** `rate429RetryAfter` only: the Retry-After value in seconds; default 1. */
  retryAfterSec?: number;
  /** `slow` only: drip rate; default 20 kB/s. */
  slowBytesPerSec?: number;
  /** Only requests whose path contains this string match. */
  pathIncludes?: string;
  /** `malformedJson` only: a body that is not JSON (`syntax`, the default) or JSON without job_id. */
  malformed?: 'syntax' | 'missingJobId';
}

export interface SimFaults {
  add(rule: FaultRule): void;
  clear(): void;
  /** Uses still queued across all rules (0 once every rule is spent). */
  pending(): number;
}

const KINDS: readonly FaultKind[] = [
  'status500',
  'status502',
  'status503',
  'rate429',
  'rate429RetryAfter',
  'reset',
  'truncate',
  'slow',
  'html200',
  'malformedJson',
];
const TARGETS: readonly FaultTarget[] = ['submit', 'poll', 'cdn', 'balance', 'any'];

export const DEFAULT_SLOW_BYTES_PER_SEC = 20_000;

interface QueuedRule {
  rule: FaultRule;
  left: number;
}

export class FaultQueue implements SimFaults {
  private rules: QueuedRule[] = [];

  add(rule: FaultRule): void {
    if (!KINDS.includes(rule.kind)) throw new Error(`Unknown fault kind "${String(rule.kind)}".`);
    if (!TARGETS.includes(rule.target)) throw new Error(`Unknown fault target "${String(rule.target)}".`);
    const times = rule.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new Error('A fault rule must apply at least once.');
    if (rule.slowBytesPerSec !== undefined && !(rule.slowBytesPerSec > 0)) {
      throw new Error('slowBytesPerSec must be positive.');
    }
    this.rules.push({ rule: { ...rule }, left: times });
  }

  clear(): void {
    this.rules = [];
  }

  pending(): number {
    return this.rules.reduce((n, r) => n + r.left, 0);
  }

  /** The first rule matching this request, consuming one of its uses. */
  take(target: Exclude<FaultTarget, 'any'> | undefined, path: string): FaultRule | undefined {
    const i = this.rules.findIndex(
      ({ rule }) =>
        (rule.target === 'any' || rule.target === target) &&
        (rule.pathIncludes === undefined || path.includes(rule.pathIncludes)),
    );
    const hit = this.rules[i];
    if (!hit) return undefined;
    hit.left -= 1;
    if (hit.left === 0) this.rules.splice(i, 1);
    return hit.rule;
  }
}
