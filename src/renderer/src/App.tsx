/** The window: sidebar navigation, status banners, the current view, the preview and toasts. */
import { useEffect, useState, type DragEvent } from 'react';
import { failureMessage } from './api';
import { Icon, type IconName } from './components/Icon';
import { Preview } from './components/Preview';
import { Spinner, Toasts } from './components/ui';
import { formatPoints } from './lib/format';
import { resumeQueue, useActivity } from './store/activity';
import { placeImages } from './store/blend';
import { placeDescribeImage, setTab } from './store/describe';
import { startApp } from './store/boot';
import { spendable, useSettings } from './store/settings';
import { followHash, navigate, useUi, type Route } from './store/ui';
import { ActivityView } from './views/activity/ActivityView';
import { BlendView } from './views/blend/BlendView';
import { ComposeView } from './views/compose/ComposeView';
import { DescribeView } from './views/describe/DescribeView';
import { JobDetail } from './views/detail/JobDetail';
import { mayHoldImage, readDrop } from './views/library/dnd';
import { ExportDialog } from './views/library/ExportDialog';
import { LibraryView } from './views/library/LibraryView';
import { LineageView } from './views/lineage/LineageView';
import { SettingsView } from './views/settings/SettingsView';
import { Welcome } from './views/welcome/Welcome';

const NAV: ReadonlyArray<{ view: Route['view']; label: string; icon: IconName }> = [
  { view: 'library', label: 'Library', icon: 'library' },
  { view: 'compose', label: 'Compose', icon: 'compose' },
  { view: 'blend', label: 'Blend', icon: 'blend' },
  { view: 'describe', label: 'Describe', icon: 'describe' },
  { view: 'activity', label: 'Activity', icon: 'activity' },
  { view: 'settings', label: 'Settings', icon: 'settings' },
];

/**
 * The Blend and Describe entries take drops: an image dragged from the grid (or a file) dropped on
 * one lands in that tool, which opens.
 */
const DROP_TOOLS: Partial<Record<Route['view'], (e: DragEvent<HTMLElement>) => void>> = {
  blend: (e) => {
    placeImages(readDrop(e.dataTransfer));
    navigate({ view: 'blend' });
  },
  describe: (e) => {
    setTab('describe');
    void placeDescribeImage(readDrop(e.dataTransfer));
    navigate({ view: 'describe' });
  },
};

function Sidebar() {
  const [dropOver, setDropOver] = useState<Route['view'] | null>(null);
  const route = useUi((s) => s.route);
  const inFlight = useActivity((s) => s.active.length);
  const offline = useActivity((s) => s.queue?.offline === true);
  const balance = useSettings((s) => s.balance);
  const balanceError = useSettings((s) => s.balanceError);
  const keySet = useSettings((s) => s.key?.set === true);
  // A job and its family graph are reached from the library.
  const current = route.view === 'job' || route.view === 'lineage' ? 'library' : route.view;

  return (
    <nav className="sidebar" aria-label="Main">
      <div className="brand">
        <span className="brand-mark">
          <Icon name="library" size={16} />
        </span>
        GenVault
      </div>
      <ul className="nav-list">
        {NAV.map((item) => {
          const drop = DROP_TOOLS[item.view];
          const dropProps = drop
            ? {
                onDragOver: (e: DragEvent<HTMLElement>) => {
                  if (!mayHoldImage(e.dataTransfer)) return;
                  e.preventDefault();
                  e.dataTransfer.dropEffect = 'copy';
                  setDropOver(item.view);
                },
                onDragLeave: () => setDropOver(null),
                onDrop: (e: DragEvent<HTMLElement>) => {
                  e.preventDefault();
                  setDropOver(null);
                  drop(e);
                },
              }
            : {};
          return (
            <li key={item.view}>
              <a
                href={`#/${item.view}`}
                className={`nav-link${dropOver === item.view ? ' drop-over' : ''}`}
                aria-current={current === item.view ? 'page' : undefined}
                onClick={(e) => {
                  e.preventDefault();
                  navigate({ view: item.view } as Route);
                }}
                {...dropProps}
              >
                <Icon name={item.icon} size={18} />
                {item.label}
                {item.view === 'activity' && inFlight > 0 ? (
                  <span className="count">
                    {inFlight}
                    <span className="visually-hidden"> in flight</span>
                  </span>
                ) : null}
              </a>
            </li>
          );
        })}
      </ul>
      <div className="sidebar-footer">
        {offline ? (
          <p className="offline-pill">
            <Icon name="offline" size={14} /> Offline
          </p>
        ) : null}
        {keySet ? (
          <p>
            Balance{' '}
            <span className="balance" title={balanceError ?? undefined}>
              {balance ? formatPoints(spendable(balance)) : balanceError ? 'unavailable' : '…'}
            </span>
          </p>
        ) : (
          <a
            href="#/settings"
            onClick={(e) => {
              e.preventDefault();
              navigate({ view: 'settings' });
            }}
          >
            Add your Legnext key
          </a>
        )}
      </div>
    </nav>
  );
}

function Banners() {
  const queue = useActivity((s) => s.queue);
  const connected = useActivity((s) => s.connected);
  if (!connected) {
    return (
      <div className="banner banner-danger" role="status">
        <Spinner label="Reconnecting" />
        <span>
          <strong>Lost the connection to GenVault.</strong> Reconnecting…
        </span>
      </div>
    );
  }
  if (!queue) return null;
  const paused = queue.paused.find((p) => p.provider === 'legnext');
  return (
    <>
      {queue.offline ? (
        <div className="banner banner-warning" role="status">
          <Icon name="offline" size={16} />
          <span>
            <strong>Offline.</strong> Your library still works; new jobs can be sent when Legnext is reachable
            again.
            {queue.offlineReason ? <span className="banner-detail"> ({queue.offlineReason})</span> : null}
          </span>
        </div>
      ) : null}
      {paused ? (
        <div className="banner banner-danger" role="status">
          <Icon name="pause" size={16} />
          <span>{paused.reason}</span>
          <button type="button" className="btn btn-sm" onClick={() => void resumeQueue()}>
            Resume
          </button>
        </div>
      ) : null}
    </>
  );
}

function CurrentView() {
  const route = useUi((s) => s.route);
  switch (route.view) {
    case 'library':
      return <LibraryView />;
    case 'job':
      return <JobDetail key={route.id} id={route.id} />;
    case 'lineage':
      return <LineageView key={route.id} id={route.id} />;
    case 'compose':
      return <ComposeView />;
    case 'blend':
      return <BlendView />;
    case 'describe':
      return <DescribeView />;
    case 'activity':
      return <ActivityView />;
    case 'settings':
      return <SettingsView />;
  }
}

type BootState = { phase: 'loading' } | { phase: 'ready' } | { phase: 'failed'; message: string };

export function App() {
  const [boot, setBoot] = useState<BootState>({ phase: 'loading' });
  const welcome = useUi((s) => s.welcome);
  const theme = useSettings((s) => s.settings?.theme ?? 'system');

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  useEffect(() => followHash(), []);

  useEffect(() => {
    if (boot.phase !== 'loading') return;
    startApp()
      .then(() => setBoot({ phase: 'ready' }))
      .catch((err: unknown) => setBoot({ phase: 'failed', message: failureMessage(err) }));
  }, [boot.phase]);

  if (boot.phase === 'loading') {
    return (
      <main className="splash" aria-label="GenVault">
        <Spinner label="Opening GenVault" />
      </main>
    );
  }
  if (boot.phase === 'failed') {
    return (
      <main className="splash" aria-labelledby="boot-title">
        <div className="empty">
          <div className="empty-icon">
            <Icon name="alert" size={26} />
          </div>
          <h1 id="boot-title">GenVault could not start</h1>
          <p>{boot.message}</p>
          <button type="button" className="btn btn-primary" onClick={() => setBoot({ phase: 'loading' })}>
            Try again
          </button>
        </div>
      </main>
    );
  }

  if (welcome) {
    return (
      <>
        <Welcome />
        <Toasts />
      </>
    );
  }

  return (
    <>
      <div className="app">
        <Sidebar />
        <main className="main" id="main">
          <Banners />
          <CurrentView />
        </main>
      </div>
      <Preview />
      <ExportDialog />
      <Toasts />
    </>
  );
}
