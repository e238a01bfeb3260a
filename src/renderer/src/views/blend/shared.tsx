/** Pieces Blend and Describe share: pastes routed to a slot, and a send error that may need Settings. */
import { useEffect, useRef } from 'react';
import { Icon } from '../../components/Icon';
import { needsImageHost } from '../../store/imageSlots';
import { navigate } from '../../store/ui';

/**
 * Pastes anywhere in the view (outside text fields) go to `onPaste`, with the id of the slot that has
 * focus, or null. A paste into a text field stays a text paste.
 */
export function usePasteInto(onPaste: (data: DataTransfer, slotId: number | null) => void): void {
  const handler = useRef(onPaste);
  useEffect(() => {
    handler.current = onPaste;
  });
  useEffect(() => {
    const listener = (e: ClipboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (!e.clipboardData || target?.closest('input, textarea, [contenteditable="true"]')) return;
      const slot = (document.activeElement as HTMLElement | null)?.closest<HTMLElement>('[data-slot-id]');
      e.preventDefault();
      handler.current(e.clipboardData, slot ? Number(slot.dataset.slotId) : null);
    };
    window.addEventListener('paste', listener);
    return () => window.removeEventListener('paste', listener);
  }, []);
}

/** Why a send failed; when it is the missing image host, a way straight to its settings. */
export function HostError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <div className="tool-error" role="alert">
      <Icon name="alert" size={16} />
      <p>{message}</p>
      {needsImageHost(message) ? (
        <button
          type="button"
          className="btn btn-sm"
          onClick={() => navigate({ view: 'settings', section: 'image-host' })}
        >
          <Icon name="settings" size={14} /> Set up an image host
        </button>
      ) : null}
    </div>
  );
}
