/**
 * Compose drafts (kept while the person browses elsewhere, and across reloads), the live check of the
 * prompt by the core, and the jobs sent from this screen. Videos come from Midjourney (Legnext) or, as
 * text-to-video, from Vidu through UniAll.
 */
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import type { PromptCheckView } from '../../../shared/contract';
import type { JobView } from '../../../shared/domain';
import { call, failureMessage } from '../api';
import { putJob } from './jobs';
import { noteJob } from './activity';

export type ComposeMode = 'image' | 'video';
/** Who makes a video composed from scratch. */
export type VideoMaker = 'legnext' | 'vidu';

/** A Vidu text-to-video; duration and aspect ratio are checked against the model by the core. */
export interface ViduDraft {
  model: string;
  text: string;
  duration: number;
  aspectRatio: string;
  audio: boolean;
  bgm: boolean;
  /** As typed; blank is a random seed. */
  seed: string;
}

export interface VideoDraft {
  /** First frame; empty for text-to-video. */
  imageUrl: string;
  text: string;
  motion: 'low' | 'high';
  loop: boolean;
  endUrl: string;
  batch: 1 | 2 | 4;
  quality: 480 | 720;
}

interface ComposeState {
  mode: ComposeMode;
  prompt: string;
  video: VideoDraft;
  videoMaker: VideoMaker;
  vidu: ViduDraft;
  check: PromptCheckView | null;
  /** The prompt text the `check` answers, so a stale answer is never shown as current. */
  checkedPrompt: string | null;
  checkError: string | null;
  submitting: boolean;
  /** Jobs sent from Compose this session, newest first. */
  sent: string[];
}

export const EMPTY_VIDU: ViduDraft = {
  model: 'viduq3p-720p',
  text: '',
  duration: 5,
  aspectRatio: '16:9',
  audio: false,
  bgm: false,
  seed: '',
};

export const EMPTY_VIDEO: VideoDraft = {
  imageUrl: '',
  text: '',
  motion: 'low',
  loop: false,
  endUrl: '',
  batch: 4,
  quality: 480,
};

/** Drafts survive a reload or a restart of the app: they are kept in the window's local storage. */
export const useCompose = create<ComposeState>()(
  persist(
    (): ComposeState => ({
      mode: 'image',
      prompt: '',
      video: EMPTY_VIDEO,
      videoMaker: 'legnext',
      vidu: EMPTY_VIDU,
      check: null,
      checkedPrompt: null,
      checkError: null,
      submitting: false,
      sent: [],
    }),
    {
      name: 'genvault.compose',
      version: 1,
      partialize: (s) => ({
        mode: s.mode,
        prompt: s.prompt,
        video: s.video,
        videoMaker: s.videoMaker,
        vidu: s.vidu,
      }),
      // Drafts saved before a field existed get that field's default.
      merge: (saved, current) => {
        const s = (saved ?? {}) as Partial<ComposeState>;
        return {
          ...current,
          ...s,
          vidu: { ...EMPTY_VIDU, ...s.vidu },
          video: { ...EMPTY_VIDEO, ...s.video },
        };
      },
    },
  ),
);

/** The prompt Legnext receives for a video: first-frame URL, text, then the video flags. */
export function videoPrompt(v: VideoDraft): string {
  const parts = [v.imageUrl.trim(), v.text.trim()].filter(Boolean);
  // Low motion is Midjourney's default, so only high motion needs a flag.
  if (v.motion === 'high') parts.push('--motion high');
  if (v.loop) parts.push('--loop');
  if (v.endUrl.trim()) parts.push(`--end ${v.endUrl.trim()}`);
  if (v.batch !== 4) parts.push(`--bs ${v.batch}`);
  return parts.join(' ');
}

export function currentPrompt(s: Pick<ComposeState, 'mode' | 'prompt' | 'video'>): string {
  return s.mode === 'image' ? s.prompt : videoPrompt(s.video);
}

export function setMode(mode: ComposeMode): void {
  useCompose.setState({ mode });
  scheduleCheck();
}

export function setPrompt(prompt: string): void {
  useCompose.setState({ prompt });
  scheduleCheck();
}

export function setVideoMaker(videoMaker: VideoMaker): void {
  useCompose.setState({ videoMaker });
  scheduleCheck();
}

export function setVidu(patch: Partial<ViduDraft>): void {
  useCompose.setState((s) => ({ vidu: { ...s.vidu, ...patch } }));
}

/** Whether the draft on screen is a Vidu video (no Legnext prompt check, sent with `jobs.videoWith`). */
export function isViduDraft(s: Pick<ComposeState, 'mode' | 'videoMaker'>): boolean {
  return s.mode === 'video' && s.videoMaker === 'vidu';
}

export function setVideo(patch: Partial<VideoDraft>): void {
  useCompose.setState((s) => ({ video: { ...s.video, ...patch } }));
  scheduleCheck();
}

/** Puts a prompt into the image editor (from a job's detail: "Use in Compose"). */
export function loadPrompt(prompt: string): void {
  useCompose.setState({ mode: 'image', prompt });
  scheduleCheck();
}

let checkTimer: ReturnType<typeof setTimeout> | undefined;
const CHECK_DEBOUNCE_MS = 200;

export function scheduleCheck(): void {
  clearTimeout(checkTimer);
  checkTimer = setTimeout(() => void runCheck(), CHECK_DEBOUNCE_MS);
}

async function runCheck(): Promise<void> {
  const state = useCompose.getState();
  if (isViduDraft(state)) return;
  const prompt = currentPrompt(state);
  if (prompt.trim() === '') {
    useCompose.setState({ check: null, checkedPrompt: prompt, checkError: null });
    return;
  }
  try {
    const check = await call('prompt.check', { prompt, kind: state.mode });
    if (currentPrompt(useCompose.getState()) !== prompt) return;
    useCompose.setState({ check, checkedPrompt: prompt, checkError: null });
  } catch (err) {
    if (currentPrompt(useCompose.getState()) !== prompt) return;
    useCompose.setState({ check: null, checkedPrompt: prompt, checkError: failureMessage(err) });
  }
}

function send(state: ComposeState): Promise<JobView> {
  if (state.mode === 'image') return call('jobs.imagine', { prompt: state.prompt.trim() });
  if (state.videoMaker === 'legnext') {
    return call('jobs.video', { prompt: videoPrompt(state.video), quality: state.video.quality });
  }
  const v = state.vidu;
  const seed = v.seed.trim();
  return call('jobs.videoWith', {
    provider: 'vidu',
    model: v.model,
    prompt: v.text.trim(),
    duration: v.duration,
    aspectRatio: v.aspectRatio,
    audio: v.audio,
    bgm: v.bgm,
    ...(seed ? { seed: Number(seed) } : {}),
  });
}

/** Sends the current draft; resolves with the new job (already in the cache and Activity). */
export async function submitCompose(): Promise<JobView> {
  const state = useCompose.getState();
  useCompose.setState({ submitting: true });
  try {
    const job = await send(state);
    putJob(job);
    noteJob(job);
    useCompose.setState((s) => ({ sent: [job.id, ...s.sent].slice(0, 12) }));
    return job;
  } finally {
    useCompose.setState({ submitting: false });
  }
}
