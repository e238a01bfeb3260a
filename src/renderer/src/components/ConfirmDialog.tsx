/**
 * A modal confirmation for a destructive action: a real `<dialog>` shown with `showModal()` (the rest
 * of the page is inert), Cancel focused first so Enter never confirms by accident, Tab kept inside,
 * Escape and Cancel close it, and focus returned to where it was (or to `fallbackFocus` when that
 * element is gone, e.g. the card of a job just removed). It is open while mounted.
 *
 * While `busy` (the action is running) both buttons are disabled, the confirm button shows progress,
 * and Escape is ignored: closing the dialog would not stop what has already started.
 */
import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { Icon, type IconName } from './Icon';
import '../styles/remove.css';

export interface ConfirmDialogProps {
  title: string;
  icon?: IconName;
  /** What will happen, in full sentences; read out as the dialog's description. */
  children: ReactNode;
  confirmLabel: string;
  /** What the confirm button says while the action runs ("Removing…"). */
  busyLabel: string;
  busy: boolean;
  /** False when the action cannot be taken as asked; the description says why. */
  canConfirm?: boolean;
  onConfirm(): void;
  onCancel(): void;
  /** Where focus goes on close when the element that held it before has left the page. */
  fallbackFocus?(): HTMLElement | null;
}

const FOCUSABLE = 'button:not(:disabled), [href], input:not(:disabled), select, textarea, [tabindex="0"]';

export function ConfirmDialog({
  title,
  icon = 'trash',
  children,
  confirmLabel,
  busyLabel,
  busy,
  canConfirm = true,
  onConfirm,
  onCancel,
  fallbackFocus,
}: ConfirmDialogProps) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const fallbackRef = useRef(fallbackFocus);
  useEffect(() => {
    fallbackRef.current = fallbackFocus;
  });
  const titleId = useId();
  const bodyId = useId();
  // Set while the owner takes the dialog away, so that closing is not mistaken for a cancel.
  const leaving = useRef(false);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog.showModal();
    cancelRef.current?.focus();
    return () => {
      leaving.current = true;
      if (dialog.open) dialog.close();
      // After the frame that follows: the view behind may only now show the element to return to.
      requestAnimationFrame(() => {
        const target = opener?.isConnected ? opener : (fallbackRef.current?.() ?? null);
        target?.focus();
      });
    };
  }, []);

  // Disabled buttons cannot hold focus: the dialog itself keeps it while the action runs.
  useEffect(() => {
    if (busy) dialogRef.current?.focus();
  }, [busy]);

  const keepTabInside = (e: KeyboardEvent<HTMLDialogElement>) => {
    if (e.key !== 'Tab') return;
    const focusable = [...e.currentTarget.querySelectorAll<HTMLElement>(FOCUSABLE)];
    const first = focusable[0];
    const last = focusable.at(-1);
    if (!first || !last) {
      e.preventDefault();
    } else if (
      e.shiftKey &&
      (document.activeElement === first || document.activeElement === e.currentTarget)
    ) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };

  return (
    <dialog
      ref={dialogRef}
      className="modal confirm-dialog"
      aria-modal="true"
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      aria-busy={busy}
      tabIndex={-1}
      onKeyDown={keepTabInside}
      onCancel={(e) => {
        // Escape: the dialog closes through onCancel (its owner unmounts it), never on its own.
        e.preventDefault();
        if (!busy) onCancel();
      }}
      onClose={() => {
        // Chromium may still close a modal on a repeated Escape whose cancel was refused: while the
        // action runs it is shown again; otherwise that close is a cancel.
        if (leaving.current) return;
        if (busy) dialogRef.current?.showModal();
        else onCancel();
      }}
    >
      <div className="modal-body">
        <h2 id={titleId}>
          <Icon name={icon} size={18} /> {title}
        </h2>
        <div id={bodyId} className="confirm-body">
          {children}
        </div>
        <div className="modal-actions">
          <button ref={cancelRef} type="button" className="btn" disabled={busy} onClick={onCancel}>
            Cancel
          </button>
          <button
            type="button"
            className="btn btn-danger-solid"
            disabled={busy || !canConfirm}
            onClick={onConfirm}
          >
            {busy ? (
              <>
                {/* The button's own words say it is working; the spinner is only the picture of it. */}
                <span className="spinner" aria-hidden="true" /> {busyLabel}
              </>
            ) : (
              confirmLabel
            )}
          </button>
        </div>
      </div>
    </dialog>
  );
}
