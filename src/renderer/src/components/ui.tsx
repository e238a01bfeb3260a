/** Small shared pieces of the design system: badges, progress, empty states, toasts. */
import type { ReactNode } from 'react';
import type { Tone } from '../lib/jobs';
import { dismissToast, navigate, useUi } from '../store/ui';
import { Icon, type IconName } from './Icon';

export function Badge({
  tone = 'neutral',
  title,
  children,
}: {
  tone?: Tone;
  title?: string;
  children: ReactNode;
}) {
  return (
    <span className={tone === 'neutral' ? 'badge' : `badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}

/** A determinate bar when `value` (0–100) is known, an indeterminate one otherwise. */
export function Progress({ value, label }: { value: number | null; label: string }) {
  return (
    <div
      className={value === null ? 'progress indeterminate' : 'progress'}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={value === null ? undefined : Math.round(value)}
    >
      <span style={value === null ? undefined : { width: `${value}%` }} />
    </div>
  );
}

export function Spinner({ label = 'Loading' }: { label?: string }) {
  return <span className="spinner" role="status" aria-label={label} />;
}

export function EmptyState({
  icon,
  title,
  children,
  action,
}: {
  icon: IconName;
  title: string;
  children?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <div className="empty">
      <div className="empty-icon">
        <Icon name={icon} size={26} />
      </div>
      <h2>{title}</h2>
      {children ? <p>{children}</p> : null}
      {action}
    </div>
  );
}

export function Toasts() {
  const toasts = useUi((s) => s.toasts);
  return (
    <section aria-label="Notifications">
      {/* The container is the polite live region; errors interrupt as alerts. */}
      <div className="toasts" aria-live="polite">
        {toasts.map((t) => (
          <div
            key={t.id}
            className={`toast toast-${t.tone}`}
            role={t.tone === 'danger' ? 'alert' : undefined}
          >
            <p>{t.message}</p>
            {t.action ? (
              <button
                type="button"
                className="btn btn-sm"
                onClick={() => {
                  navigate(t.action!.route);
                  dismissToast(t.id);
                }}
              >
                {t.action.label}
              </button>
            ) : null}
            <button
              type="button"
              className="btn btn-ghost btn-icon btn-sm"
              aria-label="Dismiss"
              onClick={() => dismissToast(t.id)}
            >
              <Icon name="close" size={14} />
            </button>
          </div>
        ))}
      </div>
    </section>
  );
}
