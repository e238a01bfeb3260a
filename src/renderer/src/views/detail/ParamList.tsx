/** A job's parameters as a readable list: "Aspect ratio 16:9", "Stylize 250", "Raw on". */

const LABELS: Record<string, string> = {
  aspect: 'Aspect ratio',
  version: 'Model',
  niji: 'Niji',
  stylize: 'Stylize',
  chaos: 'Chaos',
  weird: 'Weird',
  quality: 'Quality',
  seed: 'Seed',
  stop: 'Stop',
  tile: 'Tile',
  raw: 'Raw',
  style: 'Style',
  draft: 'Draft',
  fast: 'Fast',
  turbo: 'Turbo',
  iw: 'Image weight',
  sref: 'Style reference',
  sw: 'Style weight',
  sv: 'Style version',
  cref: 'Character reference',
  cw: 'Character weight',
  oref: 'Omni reference',
  ow: 'Omni weight',
  no: 'Exclude',
  hd: 'HD',
  exp: 'Experimental',
  profile: 'Profile',
  motion: 'Motion',
  loop: 'Loop',
  end: 'End frame',
  batchsize: 'Batch',
  type: 'Mode',
};

function formatValue(name: string, value: unknown, video: boolean): string {
  if (video && name === 'quality' && typeof value === 'number') return `${value}p`;
  if (value === true) return 'on';
  if (value === false) return 'off';
  if (Array.isArray(value)) return value.map(String).join(', ');
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** `video`: the job made videos, where `quality` is the resolution (480/720) rather than render quality. */
export function ParamList({ params, video }: { params: Record<string, unknown>; video: boolean }) {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '');
  if (entries.length === 0) return null;
  return (
    <dl className="params" aria-label="Parameters">
      {entries.map(([name, value]) => (
        <div key={name} className="param">
          <dt>{video && name === 'quality' ? 'Resolution' : (LABELS[name] ?? name)}</dt>
          <dd>{formatValue(name, value, video)}</dd>
        </div>
      ))}
    </dl>
  );
}
