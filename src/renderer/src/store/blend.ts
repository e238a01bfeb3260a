/**
 * The Blend panel: 2–5 image slots in order, the aspect ratio, and the blends sent from here. Kept
 * while the person browses elsewhere (for instance to find another library image to drag in).
 */
import { create } from 'zustand';
import type { JobView } from '../../../shared/domain';
import { call, failureMessage } from '../api';
import type { DroppedImage } from '../views/library/dnd';
import { noteJob } from './activity';
import { emptySlot, resolveDropped, toImageSource, type Slot } from './imageSlots';
import { putJob } from './jobs';
import { toast } from './ui';

export const BLEND_ASPECTS = ['2:3', '1:1', '3:2'] as const;
export type BlendAspect = (typeof BLEND_ASPECTS)[number];
export const MIN_SLOTS = 2;
export const MAX_SLOTS = 5;

interface BlendState {
  slots: Slot[];
  aspect: BlendAspect;
  submitting: boolean;
  /** Why the last send failed, shown above the button until something changes. */
  error: string | null;
  /** Blends sent from this panel, newest first. */
  sent: string[];
}

export const useBlend = create<BlendState>()(() => ({
  slots: [emptySlot(), emptySlot()],
  aspect: '1:1',
  submitting: false,
  error: null,
  sent: [],
}));

function patchSlot(id: number, patch: Partial<Slot>): void {
  useBlend.setState((s) => ({
    slots: s.slots.map((slot) => (slot.id === id ? { ...slot, ...patch } : slot)),
  }));
}

/** Fills `slot` with one image: imports a file, checks a library image. */
async function fill(slotId: number, dropped: DroppedImage): Promise<void> {
  patchSlot(slotId, { loading: true, error: null });
  useBlend.setState({ error: null });
  try {
    const image = await resolveDropped(dropped);
    patchSlot(slotId, { image, loading: false, error: null });
  } catch (err) {
    patchSlot(slotId, { loading: false, error: failureMessage(err) });
  }
}

/**
 * Puts dropped images into the slots: the first into `slotId` (or the first empty slot when none is
 * named), the rest into the following empty slots, adding slots up to five. Extra images are reported.
 */
export function placeImages(images: DroppedImage[], slotId: number | null = null): void {
  if (images.length === 0) return;
  const { slots } = useBlend.getState();
  const targets: number[] = [];
  const start = slotId === null ? -1 : slots.findIndex((s) => s.id === slotId);
  if (start !== -1) targets.push(slots[start]!.id);
  const empties = slots.filter((s, i) => s.image === null && !s.loading && i !== start);
  const ordered = start === -1 ? empties : [...empties.filter((s) => slots.indexOf(s) > start), ...empties];
  for (const s of ordered) if (!targets.includes(s.id)) targets.push(s.id);
  const added: Slot[] = [];
  while (targets.length < images.length && slots.length + added.length < MAX_SLOTS) {
    const slot = emptySlot();
    added.push(slot);
    targets.push(slot.id);
  }
  if (added.length > 0) useBlend.setState((s) => ({ slots: [...s.slots, ...added] }));
  images.slice(0, targets.length).forEach((image, i) => void fill(targets[i]!, image));
  const left = images.length - targets.length;
  if (left > 0) toast(`A blend takes at most ${MAX_SLOTS} images; ${left} were left out.`, 'info');
}

export function addSlot(): void {
  useBlend.setState((s) => (s.slots.length >= MAX_SLOTS ? s : { slots: [...s.slots, emptySlot()] }));
}

/** Removes a slot; at the minimum of two, empties it instead. */
export function removeSlot(id: number): void {
  useBlend.setState((s) => ({
    error: null,
    slots:
      s.slots.length > MIN_SLOTS
        ? s.slots.filter((slot) => slot.id !== id)
        : s.slots.map((slot) => (slot.id === id ? emptySlot() : slot)),
  }));
}

/** Moves the slot `id` to position `to` (clamped). */
export function moveSlot(id: number, to: number): void {
  useBlend.setState((s) => {
    const from = s.slots.findIndex((slot) => slot.id === id);
    if (from === -1) return s;
    const target = Math.max(0, Math.min(s.slots.length - 1, to));
    if (target === from) return s;
    const slots = [...s.slots];
    const [moved] = slots.splice(from, 1);
    slots.splice(target, 0, moved!);
    return { slots };
  });
}

export function setAspect(aspect: BlendAspect): void {
  useBlend.setState({ aspect });
}

export function clearBlend(): void {
  useBlend.setState({ slots: [emptySlot(), emptySlot()], error: null });
}

/** Sends the filled slots, in order; resolves with the new job, or null when it was refused. */
export async function submitBlend(): Promise<JobView | null> {
  const { slots, aspect } = useBlend.getState();
  const images = slots.flatMap((s) => (s.image ? [toImageSource(s.image)] : []));
  if (images.length < MIN_SLOTS) {
    useBlend.setState({ error: 'Add at least two images to blend.' });
    return null;
  }
  useBlend.setState({ submitting: true, error: null });
  try {
    const job = await call('jobs.blend', { images, aspectRatio: aspect });
    putJob(job);
    noteJob(job);
    useBlend.setState((s) => ({ sent: [job.id, ...s.sent.filter((id) => id !== job.id)].slice(0, 6) }));
    toast('Blend started.', 'success', { label: 'Open', route: { view: 'job', id: job.id } });
    return job;
  } catch (err) {
    useBlend.setState({ error: failureMessage(err) });
    return null;
  } finally {
    useBlend.setState({ submitting: false });
  }
}
