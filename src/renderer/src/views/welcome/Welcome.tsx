/** First launch: what GenVault does, and the one thing it needs — a Legnext key. */
import { useState } from 'react';
import type { KeyStatusView } from '../../../../shared/contract';
import { Icon } from '../../components/Icon';
import { KeyForm, KeyNote } from '../../components/KeyForm';
import { dismissWelcome } from '../../store/ui';

const POINTS = [
  {
    icon: 'download',
    text: 'Every image and video is downloaded and checked before Legnext deletes it after 30 days.',
  },
  { icon: 'library', text: 'Search and browse everything offline, with prompts, seeds and parameters.' },
  {
    icon: 'upscale',
    text: 'Upscale, vary, animate and extend with one click while Legnext still allows it.',
  },
] as const;

export function Welcome() {
  const [saved, setSaved] = useState<KeyStatusView | null>(null);

  return (
    <main className="welcome" aria-labelledby="welcome-title">
      <div className="welcome-card panel">
        <div className="brand welcome-brand">
          <span className="brand-mark">
            <Icon name="library" size={16} />
          </span>
          GenVault
        </div>
        <h1 id="welcome-title">Keep everything you make with Midjourney</h1>
        <ul className="welcome-points">
          {POINTS.map((p) => (
            <li key={p.icon}>
              <Icon name={p.icon} size={18} />
              <span>{p.text}</span>
            </li>
          ))}
        </ul>
        {saved ? (
          <div className="welcome-done">
            <p className="key-ok">
              <Icon name="check" size={18} /> Key ending in <span className="mono">{saved.last4}</span> works
              and is saved.
            </p>
            <KeyNote note={saved.note} />
            <button type="button" className="btn btn-primary" autoFocus onClick={dismissWelcome}>
              Open my library
            </button>
          </div>
        ) : (
          <>
            <p className="muted">
              GenVault talks to Midjourney through Legnext. Paste your Legnext API key to start; it stays on
              this computer.
            </p>
            <KeyForm
              submitLabel="Check and save"
              autoFocus
              onSaved={(status) => {
                if (status.note) setSaved(status);
                else dismissWelcome();
              }}
            />
            <button type="button" className="link-button welcome-skip" onClick={dismissWelcome}>
              Browse my library without a key
            </button>
          </>
        )}
      </div>
    </main>
  );
}
