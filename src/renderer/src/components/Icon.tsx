/** A small stroke icon set drawn for GenVault (24×24 grid, currentColor). Decorative unless labelled. */
import type { ReactElement } from 'react';

const PATHS = {
  library: (
    <>
      <rect x="4" y="4" width="7" height="7" rx="1.5" />
      <rect x="13" y="4" width="7" height="7" rx="1.5" />
      <rect x="4" y="13" width="7" height="7" rx="1.5" />
      <rect x="13" y="13" width="7" height="7" rx="1.5" />
    </>
  ),
  compose: (
    <>
      <path d="M12 3.5l1.9 4.6 4.6 1.9-4.6 1.9L12 16.5l-1.9-4.6L5.5 10l4.6-1.9z" />
      <path d="M18.5 15.5l.8 1.9 1.9.8-1.9.8-.8 1.9-.8-1.9-1.9-.8 1.9-.8z" />
    </>
  ),
  activity: <path d="M3 12h4l3-7 4 14 3-7h4" />,
  settings: (
    <>
      <path d="M4 7h9M17 7h3M4 17h3M11 17h9" />
      <circle cx="15" cy="7" r="2" />
      <circle cx="9" cy="17" r="2" />
    </>
  ),
  search: (
    <>
      <circle cx="11" cy="11" r="6.5" />
      <path d="M16 16l4.5 4.5" />
    </>
  ),
  star: <path d="M12 3.8l2.5 5.2 5.7.8-4.1 4 1 5.6L12 16.7l-5.1 2.7 1-5.6-4.1-4 5.7-.8z" />,
  filter: <path d="M4 5.5h16l-6.2 7.2v5.6L10.2 20v-7.3z" />,
  close: <path d="M6.5 6.5l11 11M17.5 6.5l-11 11" />,
  chevronLeft: <path d="M14.5 5.5L8 12l6.5 6.5" />,
  chevronRight: <path d="M9.5 5.5L16 12l-6.5 6.5" />,
  chevronDown: <path d="M6 9.5l6 6 6-6" />,
  back: <path d="M19 12H5.5M11 6l-6 6 6 6" />,
  play: <path d="M8 5.5v13l10.5-6.5z" />,
  pause: <path d="M8.5 5.5v13M15.5 5.5v13" />,
  check: <path d="M5 12.5l4.5 4.5L19 7.5" />,
  alert: <path d="M12 4L2.8 19.5h18.4zM12 10v4.2M12 17v.3" />,
  refresh: (
    <>
      <path d="M19.5 12a7.5 7.5 0 1 1-2.2-5.3" />
      <path d="M19.5 4.5v4.2h-4.2" />
    </>
  ),
  folder: <path d="M3.5 7.5a2 2 0 0 1 2-2h3.8l2 2h7.2a2 2 0 0 1 2 2v7.5a2 2 0 0 1-2 2h-13a2 2 0 0 1-2-2z" />,
  key: (
    <>
      <circle cx="8" cy="15.5" r="3.8" />
      <path d="M10.8 12.8L19.5 4M16.5 7l2.5 2.5M14 9.5l2 2" />
    </>
  ),
  grid4: (
    <>
      <rect x="4" y="4" width="16" height="16" rx="2" />
      <path d="M12 4v16M4 12h16" />
    </>
  ),
  square: <rect x="4" y="4" width="16" height="16" rx="2" />,
  video: (
    <>
      <rect x="3" y="6.5" width="12.5" height="11" rx="2" />
      <path d="M15.5 10.5l5-3v9l-5-3" />
    </>
  ),
  image: (
    <>
      <rect x="3.5" y="4.5" width="17" height="15" rx="2" />
      <circle cx="9" cy="10" r="1.6" />
      <path d="M20.5 15.5l-5-5-9.5 9" />
    </>
  ),
  offline: (
    <>
      <path d="M4 4l16 16" />
      <path d="M8.5 8.9A5.5 5.5 0 0 0 6.5 13 4 4 0 0 0 7 21h10.5M17.6 11.3A4 4 0 0 1 20.5 18M10.5 6.6A5.5 5.5 0 0 1 16 9" />
    </>
  ),
  open: (
    <>
      <path d="M13.5 4.5h6v6M19.5 4.5l-8 8" />
      <path d="M17.5 14v4.5a1 1 0 0 1-1 1h-11a1 1 0 0 1-1-1v-11a1 1 0 0 1 1-1H10" />
    </>
  ),
  upscale: <path d="M4.5 19.5l6-6M4.5 14v5.5H10M19.5 4.5l-6 6M19.5 10V4.5H14" />,
  vary: <path d="M4 7.5h3.2l9.6 9h3.2M4 16.5h3.2l9.6-9h3.2M17.5 5l2.5 2.5-2.5 2.5M17.5 14l2.5 2.5-2.5 2.5" />,
  extend: <path d="M4 12h14M14 7l5 5-5 5M4 6v12" />,
  clock: (
    <>
      <circle cx="12" cy="12" r="8" />
      <path d="M12 7.5V12l3 2" />
    </>
  ),
  copy: (
    <>
      <rect x="8.5" y="8.5" width="11" height="11" rx="2" />
      <path d="M15.5 8.5V6a1.5 1.5 0 0 0-1.5-1.5H6A1.5 1.5 0 0 0 4.5 6v8A1.5 1.5 0 0 0 6 15.5h2.5" />
    </>
  ),
  info: (
    <>
      <circle cx="12" cy="12" r="8" />
      <path d="M12 11v5M12 8v.3" />
    </>
  ),
  download: <path d="M12 4.5v10.5M7.5 10.5L12 15l4.5-4.5M5 19.5h14" />,
  sort: <path d="M8 5v14M4.5 15.5L8 19l3.5-3.5M16 19V5M12.5 8.5L16 5l3.5 3.5" />,
  sun: (
    <>
      <circle cx="12" cy="12" r="3.8" />
      <path d="M12 3v2M12 19v2M3 12h2M19 12h2M5.6 5.6L7 7M17 17l1.4 1.4M5.6 18.4L7 17M17 7l1.4-1.4" />
    </>
  ),
  blend: (
    <>
      <circle cx="9" cy="12" r="5.5" />
      <circle cx="15" cy="12" r="5.5" />
    </>
  ),
  describe: (
    <>
      <rect x="3.5" y="4.5" width="11" height="10" rx="2" />
      <path d="M6 12l2.5-2.5 2 2 1.5-1.5 2.5 2.5M17 8.5h3.5M17 12.5h3.5M7 18.5h13.5" />
    </>
  ),
  family: (
    <>
      <rect x="3" y="9.5" width="5" height="5" rx="1.2" />
      <rect x="16" y="4" width="5" height="5" rx="1.2" />
      <rect x="16" y="15" width="5" height="5" rx="1.2" />
      <path d="M8 12c4 0 4-5.5 8-5.5M8 12c4 0 4 5.5 8 5.5" />
    </>
  ),
  grip: (
    <>
      <circle cx="9" cy="6.5" r="1.1" />
      <circle cx="15" cy="6.5" r="1.1" />
      <circle cx="9" cy="12" r="1.1" />
      <circle cx="15" cy="12" r="1.1" />
      <circle cx="9" cy="17.5" r="1.1" />
      <circle cx="15" cy="17.5" r="1.1" />
    </>
  ),
  export: (
    <path d="M12 15V4.5M7.5 9L12 4.5 16.5 9M5 13.5v5a1.5 1.5 0 0 0 1.5 1.5h11a1.5 1.5 0 0 0 1.5-1.5v-5" />
  ),
  plus: <path d="M12 5v14M5 12h14" />,
  link: (
    <>
      <path d="M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1" />
      <path d="M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1" />
    </>
  ),
  arrowUp: <path d="M12 19.5V5M6 11l6-6 6 6" />,
  arrowDown: <path d="M12 4.5V19M6 13l6 6 6-6" />,
  arrowLeft: <path d="M19.5 12H5M11 6l-6 6 6 6" />,
  arrowRight: <path d="M4.5 12H19M13 6l6 6-6 6" />,
  undo: <path d="M9 14.5L4.5 10 9 5.5M4.5 10h9a6 6 0 0 1 0 12H11" />,
  redo: <path d="M15 14.5l4.5-4.5L15 5.5M19.5 10h-9a6 6 0 0 0 0 12H13" />,
  trash: <path d="M4.5 7h15M10 4h4M6.5 7l1 12.5h9l1-12.5M10 11v5M14 11v5" />,
  polygon: (
    <>
      <path d="M6 5l12 3-2 11-11-4z" />
      <circle cx="6" cy="5" r="1.4" />
      <circle cx="18" cy="8" r="1.4" />
      <circle cx="16" cy="19" r="1.4" />
      <circle cx="5" cy="15" r="1.4" />
    </>
  ),
  lasso: (
    <>
      <path d="M7 16.5C4.5 15 3.5 12.8 4.3 10.4 5.6 6.6 11 4.6 15.6 5.8s5.6 5.4 2.3 7.9c-2.4 1.8-6.4 2.4-9.4 1.9" />
      <path d="M8.8 15.6c-.9 1.4-.4 3 1.2 3.9" />
    </>
  ),
  region: (
    <>
      <rect x="3.5" y="3.5" width="17" height="17" rx="2" />
      <path d="M8 9.5l4-2.5 4.5 3-1 5.5-5.5 1z" strokeDasharray="2 2" />
    </>
  ),
  crop: <path d="M7 3v14h14M3 7h14v14" />,
  texture: (
    <>
      <rect x="3.5" y="3.5" width="17" height="17" rx="2" />
      <path d="M3.5 11L11 3.5M3.5 18L18 3.5M9.5 20.5l11-11M16.5 20.5l4-4" />
    </>
  ),
  brush: (
    <>
      <path d="M19.5 4.5l-8.8 8.8" />
      <path d="M10.7 13.3c-2.2-.6-4.2.8-4.5 3-.2 1.6-.9 2.6-2.2 3.2 3.1.9 6.8.3 7.8-2.4.5-1.4.2-2.9-1.1-3.8z" />
    </>
  ),
  pan: (
    <>
      <rect x="3.5" y="6.5" width="10" height="11" rx="1.5" />
      <path d="M13.5 6.5h7v11h-7" strokeDasharray="2 2" />
      <path d="M16 12h3M17.5 10.5L19 12l-1.5 1.5" />
    </>
  ),
  zoomOut: (
    <>
      <rect x="8" y="8" width="8" height="8" rx="1" />
      <rect x="3.5" y="3.5" width="17" height="17" rx="2" strokeDasharray="2 2" />
    </>
  ),
  sparkle: <path d="M12 3.5l2.1 6.4 6.4 2.1-6.4 2.1L12 20.5l-2.1-6.4L3.5 12l6.4-2.1z" />,
  cutout: (
    <>
      <circle cx="12" cy="9" r="3.5" />
      <path d="M5.5 20c.7-3.6 3.3-5.5 6.5-5.5s5.8 1.9 6.5 5.5" />
      <path d="M3.5 3.5h3M3.5 3.5v3M20.5 3.5h-3M20.5 3.5v3M3.5 20.5v-3M20.5 20.5v-3" />
    </>
  ),
} satisfies Record<string, ReactElement>;

export type IconName = keyof typeof PATHS;

export function Icon({
  name,
  size = 18,
  filled = false,
  label,
  className,
}: {
  name: IconName;
  size?: number;
  filled?: boolean;
  /** When given, the icon is announced with this text; otherwise it is hidden from assistive tech. */
  label?: string;
  className?: string;
}) {
  return (
    <svg
      className={className}
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill={filled ? 'currentColor' : 'none'}
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      role={label ? 'img' : undefined}
      aria-label={label}
      aria-hidden={label ? undefined : true}
      focusable="false"
    >
      {PATHS[name]}
    </svg>
  );
}
