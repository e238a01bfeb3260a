/**
 * One output as a picture or a video, inside a box whose shape is fixed before anything loads (no
 * layout jumps). Files come from the local library; an output not on disk yet shows its state.
 */
import { useState } from 'react';
import type { OutputView } from '../../../shared/domain';
import { fileSrc, thumbSrc } from '../lib/media';
import { Icon } from './Icon';

const STATE_WORDS: Record<OutputView['state'], string> = {
  remote: 'Waiting to download',
  downloading: 'Downloading…',
  archived: '',
  expired: 'Expired before it was saved',
  error: 'Download failed',
};

/**
 * A picture removed from the page keeps loading, and stays in memory until it has: after a fast
 * scroll through a large library that is thousands of requests nobody will see. Dropping the source
 * when the element goes away cancels the request (a picture already loaded is left alone: there is
 * nothing to cancel, and changing its source would only make the browser update it once more).
 */
function cancelLoadOnUnmount(img: HTMLImageElement | null): (() => void) | undefined {
  if (!img) return undefined;
  return () => {
    if (!img.complete) img.removeAttribute('src');
  };
}

function Placeholder({ output, pending }: { output: OutputView | undefined; pending: string | null }) {
  const words = output ? STATE_WORDS[output.state] : (pending ?? 'No preview');
  return (
    <div className={`media-placeholder${output?.state === 'downloading' || pending ? ' pulsing' : ''}`}>
      <Icon name={output?.kind === 'video' ? 'video' : 'image'} size={22} />
      {words ? <span>{words}</span> : null}
    </div>
  );
}

export function Media({
  output,
  alt,
  size,
  fit = 'cover',
  aspect,
  playing = false,
  pending = null,
}: {
  output: OutputView | undefined;
  alt: string;
  /** `thumb` for grids (small files), `full` for the detail view and preview. */
  size: 'thumb' | 'full';
  fit?: 'cover' | 'contain';
  /** CSS aspect-ratio of the box; omitted when the parent fixes the box. */
  aspect?: string;
  /** Thumbnails of videos play (muted, looping) while true, e.g. on hover. */
  playing?: boolean;
  /** What the job is doing while it has no outputs yet ("Rendering…"), shown in their place. */
  pending?: string | null;
}) {
  const [brokenSrc, setBrokenSrc] = useState<string | null>(null);
  const isVideo = output?.kind === 'video';
  const still = size === 'thumb' || isVideo ? thumbSrc(output) : fileSrc(output);
  const video = isVideo ? fileSrc(output) : null;
  const style = aspect ? { aspectRatio: aspect } : undefined;
  const boxClass = `media-box${fit === 'contain' ? ' contain' : ''}${aspect ? ' sized' : ''}`;

  if (size === 'full' && isVideo && video) {
    return (
      <div className={boxClass} style={style}>
        <video
          src={video}
          poster={still ?? undefined}
          controls
          playsInline
          preload="metadata"
          aria-label={alt}
        />
      </div>
    );
  }

  return (
    <div className={boxClass} style={style}>
      {still && brokenSrc !== still ? (
        // One element per picture: a list that reuses this component for another output (the library
        // grid recycles its cards) must never show the previous picture while the next one loads.
        <img
          key={still}
          ref={cancelLoadOnUnmount}
          src={still}
          alt={alt}
          loading={size === 'thumb' ? 'eager' : 'lazy'}
          decoding="async"
          draggable={false}
          onError={() => setBrokenSrc(still)}
        />
      ) : (
        <Placeholder output={output} pending={pending} />
      )}
      {isVideo && video && playing ? (
        <video className="media-hover-video" src={video} muted loop autoPlay playsInline aria-hidden="true" />
      ) : null}
      {isVideo ? (
        <span className="media-kind" aria-hidden="true">
          <Icon name="play" size={12} filled />
        </span>
      ) : null}
    </div>
  );
}
