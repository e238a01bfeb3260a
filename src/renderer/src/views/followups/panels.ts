/**
 * Every follow-up panel, in the order the detail view lists them: the one place to add, remove or
 * reorder a panel. Each names the op whose `jobs.followUps` states decide whether it is shown (a video
 * job has no image panels), whether it is available and what it costs.
 */
import type { ComponentType } from 'react';
import type { IconName } from '../../components/Icon';
import { AnimatePanel } from './AnimatePanel';
import { EditPanel } from './EditPanel';
import { EnhancePanel } from './EnhancePanel';
import { ExtendPanel } from './ExtendPanel';
import { PaintPanel } from './PaintPanel';
import { PanPanel } from './PanPanel';
import { RegionPanel } from './RegionPanel';
import { RemixPanel } from './RemixPanel';
import { RemoveBackgroundPanel } from './RemoveBackgroundPanel';
import { RetexturePanel } from './RetexturePanel';
import { TopazPanel } from './TopazPanel';
import type { PanelProps } from './types';
import { VaryPanel } from './VaryPanel';
import { VideoUpscalePanel } from './VideoUpscalePanel';
import { ZoomPanel } from './ZoomPanel';

export type PanelGroup = 'Change' | 'Extend' | 'Enhance' | 'Animate' | 'Video';

/** What the panel offers instead when it is unavailable. */
export type AlternativeKind = 'image-prompt' | 'paint' | 'animate-url';

export interface PanelSpec {
  id: string;
  op: string;
  title: string;
  icon: IconName;
  group: PanelGroup;
  Component: ComponentType<PanelProps>;
  /** Listed only while available (Enhance exists for draft images only). */
  onlyWhenEnabled?: boolean;
  alternatives: readonly AlternativeKind[];
}

export const FOLLOW_UP_PANELS: readonly PanelSpec[] = [
  {
    id: 'vary',
    op: 'variation',
    title: 'Vary',
    icon: 'vary',
    group: 'Change',
    Component: VaryPanel,
    alternatives: ['image-prompt'],
  },
  {
    id: 'remix',
    op: 'remix',
    title: 'Remix',
    icon: 'compose',
    group: 'Change',
    Component: RemixPanel,
    alternatives: ['image-prompt'],
  },
  {
    id: 'region',
    op: 'inpaint',
    title: 'Vary region',
    icon: 'region',
    group: 'Change',
    Component: RegionPanel,
    alternatives: ['paint', 'image-prompt'],
  },
  {
    id: 'edit',
    op: 'edit',
    title: 'Edit',
    icon: 'crop',
    group: 'Change',
    Component: EditPanel,
    alternatives: ['paint', 'image-prompt'],
  },
  {
    id: 'retexture',
    op: 'retexture',
    title: 'Retexture',
    icon: 'texture',
    group: 'Change',
    Component: RetexturePanel,
    alternatives: [],
  },
  {
    id: 'paint',
    op: 'upload-paint',
    title: 'Paint on a canvas',
    icon: 'brush',
    group: 'Change',
    Component: PaintPanel,
    alternatives: [],
  },
  {
    id: 'pan',
    op: 'pan',
    title: 'Pan',
    icon: 'pan',
    group: 'Extend',
    Component: PanPanel,
    alternatives: ['paint', 'image-prompt'],
  },
  {
    id: 'zoom',
    op: 'outpaint',
    title: 'Zoom out',
    icon: 'zoomOut',
    group: 'Extend',
    Component: ZoomPanel,
    alternatives: ['paint', 'image-prompt'],
  },
  {
    id: 'enhance',
    op: 'enhance',
    title: 'Enhance draft',
    icon: 'sparkle',
    group: 'Enhance',
    Component: EnhancePanel,
    onlyWhenEnabled: true,
    alternatives: [],
  },
  {
    id: 'topaz',
    op: 'enhance-upscale',
    title: 'Topaz upscale',
    icon: 'upscale',
    group: 'Enhance',
    Component: TopazPanel,
    alternatives: [],
  },
  {
    id: 'remove-background',
    op: 'remove-background',
    title: 'Remove background',
    icon: 'cutout',
    group: 'Enhance',
    Component: RemoveBackgroundPanel,
    alternatives: [],
  },
  {
    id: 'animate',
    op: 'video-diffusion',
    title: 'Animate',
    icon: 'video',
    group: 'Animate',
    Component: AnimatePanel,
    alternatives: ['animate-url'],
  },
  {
    id: 'extend',
    op: 'extend-video',
    title: 'Extend',
    icon: 'extend',
    group: 'Video',
    Component: ExtendPanel,
    alternatives: [],
  },
  {
    id: 'video-upscale',
    op: 'video-upscale',
    title: 'Upscale video',
    icon: 'upscale',
    group: 'Video',
    Component: VideoUpscalePanel,
    alternatives: [],
  },
];
