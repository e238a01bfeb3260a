/**
 * The Electron shell (src/main/shell/app.ts) against a fake `electron` module — this machine cannot run
 * the Electron binary, so Electron's part is played by test/shell/fake-electron.ts — over a real Vault,
 * a real temp library and the real Legnext simulator.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS, type CallResult } from '../../src/shared/contract';
import { CALL_CHANNEL, DRAG_CHANNEL, EVENT_CHANNEL } from '../../src/shared/ipc';
import { SecretUnavailableError } from '../../src/main/core/secrets';
import type { Vault } from '../../src/main/core/vault';
import { FAST_POLL_POLICY, MemoryBackend } from '../api/support';
import { startLegnextSim, type LegnextSim } from '../sim/legnext/index';
import * as fake from './fake-electron';

vi.mock('electron', async () => await import('./fake-electron'));

// Imported after the mock is declared (vi.mock is hoisted), so the shell sees the fake.
const { REFUSED_SENDER, startApp } = await import('../../src/main/shell/app');
const { KEY_FILE } = await import('../../src/main/shell/keys');

let sim: LegnextSim;
let dir: string;
let shells: Array<{ vault: Vault }> = [];

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'genvault-shell-'));
  fake.resetFakeElectron(path.join(dir, 'userData'));
  sim = await startLegnextSim();
});

afterEach(async () => {
  for (const s of shells) if (!s.vault.queue.isStopped) await s.vault.close();
  shells = [];
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

const PRELOAD = '/app/out/preload/index.cjs';

async function launch(opts: { keychain?: MemoryBackend | FailingKeychain } = {}) {
  const keychain = opts.keychain ?? new MemoryBackend();
  if (keychain instanceof MemoryBackend && !keychain.values.has('legnext'))
    keychain.values.set('legnext', sim.apiKey);
  const shell = await startApp({
    preload: PRELOAD,
    rendererDir: path.join(dir, 'renderer'),
    env: { GENVAULT_LIBRARY: path.join(dir, 'library'), LEGNEXT_BASE_URL: sim.url },
    keychain,
    queue: { pollPolicy: FAST_POLL_POLICY },
  });
  if (!shell) throw new Error('the shell did not start');
  shells.push(shell);
  const win = fake.FakeBrowserWindow.all[0]!;
  return { shell, win };
}

class FailingKeychain extends MemoryBackend {
  override async get(): Promise<string | null> {
    throw new SecretUnavailableError('The system keychain did not answer while trying to read the key.');
  }
}

type Invoke = (event: unknown, name: unknown, request: unknown) => Promise<CallResult<unknown>>;

function invoker(): Invoke {
  const handler = fake.ipcMain.handlers.get(CALL_CHANNEL);
  if (!handler) throw new Error('no handler on genvault:call');
  return handler as Invoke;
}

function fromTopFrame(win: fake.FakeBrowserWindow) {
  return { sender: win.webContents, senderFrame: win.webContents.mainFrame };
}

describe('window', () => {
  it('opens one secure window on genvault://app with the privileged scheme registered before ready', async () => {
    const { win } = await launch();
    const prefs = win.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
      allowRunningInsecureContent: false,
    });
    expect(win.loadURL).toHaveBeenCalledWith('genvault://app/index.html');
    expect(fake.FakeBrowserWindow.all).toHaveLength(1);

    expect(fake.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      {
        scheme: 'genvault',
        privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true },
      },
    ]);
    const registered = fake.protocol.registerSchemesAsPrivileged.mock.invocationCallOrder[0]!;
    expect(registered).toBeLessThan(fake.app.whenReady.mock.invocationCallOrder[0]!);
    expect(fake.protocol.handle).toHaveBeenCalledWith('genvault', expect.any(Function));

    const requestHandler = fake.session.defaultSession.setPermissionRequestHandler.mock.calls[0]![0] as (
      c: unknown,
      p: string,
      cb: (ok: boolean) => void,
    ) => void;
    const answers: boolean[] = [];
    requestHandler(win.webContents, 'media', (ok) => answers.push(ok));
    requestHandler(win.webContents, 'geolocation', (ok) => answers.push(ok));
    expect(answers).toEqual([false, false]);

    const template = fake.Menu.buildFromTemplate.mock.calls[0]![0] as Array<{
      role?: string;
      label?: string;
    }>;
    expect(template.map((m) => m.role ?? m.label)).toEqual(
      expect.arrayContaining(['File', 'editMenu', 'viewMenu', 'windowMenu']),
    );
  });

  it('denies navigation, webviews and new windows; web links the person opens go to the browser', async () => {
    const { win } = await launch();
    const contents = win.webContents;
    const navigate = (url: string) => {
      const event = { preventDefault: vi.fn() };
      contents.emit('will-navigate', event, url);
      return event.preventDefault.mock.calls.length > 0;
    };
    expect(navigate('https://evil.example/')).toBe(true);
    expect(navigate('file:///etc/passwd')).toBe(true);
    expect(navigate('genvault://media/media/x.png')).toBe(true);
    expect(navigate('genvault://app/index.html')).toBe(false);

    const webview = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', webview, {}, {});
    expect(webview.preventDefault).toHaveBeenCalled();

    expect(
      contents.windowOpenHandler!({ url: 'https://legnext.ai/pricing', disposition: 'foreground-tab' }),
    ).toEqual({
      action: 'deny',
    });
    expect(fake.shell.openExternal).toHaveBeenCalledWith('https://legnext.ai/pricing');
    expect(contents.windowOpenHandler!({ url: 'file:///etc/passwd', disposition: 'foreground-tab' })).toEqual(
      {
        action: 'deny',
      },
    );
    expect(
      contents.windowOpenHandler!({ url: 'genvault://app/index.html', disposition: 'new-window' }),
    ).toEqual({
      action: 'deny',
    });
    expect(fake.shell.openExternal).toHaveBeenCalledTimes(1);

    // Any other webContents the app ever creates gets the same rules.
    const other = new fake.FakeWebContents();
    fake.app.emit('web-contents-created', {}, other);
    expect(other.windowOpenHandler!({ url: 'https://example.com', disposition: 'other' })).toEqual({
      action: 'deny',
    });
    expect(fake.shell.openExternal).toHaveBeenCalledTimes(1);
  });

  it('remembers its size and position in the library', async () => {
    const first = await launch();
    first.win.bounds = { x: 140, y: 90, width: 1400, height: 900 };
    first.win.close();
    await first.shell.vault.close();

    fake.resetFakeElectron(path.join(dir, 'userData'));
    const second = await launch();
    expect(second.win.options).toMatchObject({ x: 140, y: 90, width: 1400, height: 900 });
  });

  it('focuses the running window when a second instance starts, and a second instance exits', async () => {
    const { win } = await launch();
    fake.app.emit('second-instance');
    expect(win.show).toHaveBeenCalled();
    expect(win.focus).toHaveBeenCalled();

    fake.resetFakeElectron(path.join(dir, 'userData'));
    fake.app.requestSingleInstanceLock.mockReturnValueOnce(false);
    expect(await startApp({ preload: PRELOAD, rendererDir: dir, env: {} })).toBeNull();
    expect(fake.app.quit).toHaveBeenCalled();
    expect(fake.FakeBrowserWindow.all).toHaveLength(0);
  });
});

describe('IPC', () => {
  it('answers calls from its window’s top frame on genvault://app and refuses every other sender', async () => {
    const { win } = await launch();
    const invoke = invoker();
    expect(await invoke(fromTopFrame(win), 'settings.get', {})).toEqual({
      ok: true,
      value: DEFAULT_SETTINGS,
    });
    expect(await invoke(fromTopFrame(win), 'no.such.call', {})).toMatchObject({
      ok: false,
      error: { kind: 'invalid' },
    });

    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const stranger = new fake.FakeWebContents();
    stranger.mainFrame.url = 'genvault://app/index.html';
    expect(await invoke({ sender: stranger, senderFrame: stranger.mainFrame }, 'settings.get', {})).toEqual(
      REFUSED_SENDER,
    );
    const iframe = { url: 'genvault://app/index.html', parent: win.webContents.mainFrame };
    expect(await invoke({ sender: win.webContents, senderFrame: iframe }, 'settings.get', {})).toEqual(
      REFUSED_SENDER,
    );
    expect(await invoke({ sender: win.webContents, senderFrame: null }, 'settings.get', {})).toEqual(
      REFUSED_SENDER,
    );
    win.webContents.mainFrame.url = 'https://evil.example/';
    expect(await invoke(fromTopFrame(win), 'keys.status', { provider: 'legnext' })).toEqual(REFUSED_SENDER);
  });

  it('carries a job from submit to notification: events reach the window, the badge counts jobs in flight', async () => {
    const { win } = await launch();
    const invoke = invoker();
    const submitted = await invoke(fromTopFrame(win), 'jobs.imagine', {
      prompt: 'a copper kettle on a stove',
    });
    if (!submitted.ok) throw new Error(submitted.error.message);
    const id = (submitted.value as { id: string }).id;

    await vi.waitFor(
      () => {
        expect(fake.Notification.shown).toHaveLength(1);
      },
      { timeout: 10_000, interval: 20 },
    );
    expect(fake.Notification.shown[0]).toEqual({
      title: 'Generation finished',
      body: 'a copper kettle on a stove',
    });
    const jobEvents = win.webContents.sent
      .filter((s) => s.channel === EVENT_CHANNEL)
      .map(
        (s) =>
          s.message as {
            event: string;
            payload: { id?: string; status?: string };
          },
      );
    expect(
      jobEvents.some((m) => m.event === 'job' && m.payload.id === id && m.payload.status === 'completed'),
    ).toBe(true);
    const badges = fake.app.setBadgeCount.mock.calls.map((c) => c[0]);
    expect(badges).toContain(1);
    await vi.waitFor(() => expect(fake.app.setBadgeCount).toHaveBeenLastCalledWith(0), {
      timeout: 10_000,
      interval: 20,
    });
  });

  it('starts a drag only for an archived library file, asked by its own window', async () => {
    const { shell, win } = await launch();
    const job = shell.vault.imagine('a paper crane');
    const done = await shell.vault.waitFor(job.id);
    const output = done.outputs.find((o) => o.kind === 'image')!;
    const drag = (event: unknown, request: unknown) => fake.ipcMain.emit(DRAG_CHANNEL, event, request);

    const stranger = new fake.FakeWebContents();
    const request = { jobId: job.id, kind: 'image', index: output.index };
    drag({ sender: stranger, senderFrame: { url: 'genvault://app/index.html', parent: null } }, request);
    drag(fromTopFrame(win), { ...request, jobId: 'not-a-job' });
    drag(fromTopFrame(win), { ...request, kind: 'script' });
    drag(fromTopFrame(win), request);
    await vi.waitFor(() => expect(win.webContents.startDrag).toHaveBeenCalledTimes(1), {
      timeout: 5000,
      interval: 10,
    });
    expect(stranger.startDrag).not.toHaveBeenCalled();
    const item = win.webContents.startDrag.mock.calls[0]![0] as { file: string; icon: { file: string } };
    expect(item.file).toBe(output.path);
    expect(item.icon.file).toBe(output.thumbPath);
  });
});

describe('keys', () => {
  it('uses the keychain when it answers, with no note', async () => {
    const { shell } = await launch();
    expect(shell.keyNote).toBeNull();
    expect(existsSync(path.join(dir, 'userData', KEY_FILE))).toBe(false);
  });

  it('falls back to a safeStorage-encrypted file with a visible note when the keychain does not answer', async () => {
    const { shell, win } = await launch({ keychain: new FailingKeychain() });
    expect(shell.keyNote).toMatch(/No system keychain answered/);
    const invoke = invoker();
    const status = await invoke(fromTopFrame(win), 'keys.set', { provider: 'legnext', key: sim.apiKey });
    expect(status).toMatchObject({ ok: true, value: { set: true, source: 'file', note: shell.keyNote } });
    const stored = await readFile(path.join(dir, 'userData', KEY_FILE), 'utf8');
    expect(stored).not.toContain(sim.apiKey);
    expect(await shell.vault.secrets.getKey('legnext')).toBe(sim.apiKey);
  });
});

describe('quit', () => {
  it('holds the first quit until the Vault has closed, then quits for real', async () => {
    const { shell } = await launch();
    let finishClose: () => void = () => undefined;
    const realClose = shell.vault.close.bind(shell.vault);
    const closeSpy = vi.spyOn(shell.vault, 'close').mockImplementation(async () => {
      await new Promise<void>((resolve) => {
        finishClose = resolve;
      });
      await realClose();
    });

    const first = { preventDefault: vi.fn() };
    fake.app.emit('before-quit', first);
    expect(first.preventDefault).toHaveBeenCalled();
    expect(closeSpy).toHaveBeenCalledTimes(1);
    const again = { preventDefault: vi.fn() };
    fake.app.emit('before-quit', again);
    expect(again.preventDefault).toHaveBeenCalled();
    expect(closeSpy).toHaveBeenCalledTimes(1);
    expect(fake.app.quit).not.toHaveBeenCalled();

    finishClose();
    await vi.waitFor(() => expect(fake.app.quit).toHaveBeenCalledTimes(1), { timeout: 5000, interval: 5 });
    expect(shell.vault.queue.isStopped).toBe(true);
    const last = { preventDefault: vi.fn() };
    fake.app.emit('before-quit', last);
    expect(last.preventDefault).not.toHaveBeenCalled();
  });
});
