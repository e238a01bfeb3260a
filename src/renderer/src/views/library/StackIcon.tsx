/**
 * "Stack families": a card with two card edges behind it. Drawn like the shared icon set (24×24 grid,
 * 1.8 stroke, currentColor) and decorative: its button carries the words.
 */
export function StackIcon({ size = 16 }: { size?: number }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden
      focusable="false"
    >
      <rect x="4" y="9" width="16" height="11" rx="2" />
      <path d="M6.5 6h11M9 3h6" />
    </svg>
  );
}
