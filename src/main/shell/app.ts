/**
 * The Electron shell: one window over the core, kept thin. It owns the app lifecycle (single instance,
 * graceful quit), the window (secure preferences, remembered bounds), the `genvault://` protocol, the
 * one IPC wrapper in front of `dispatch`, the menu, notifications and the badge. Every decision about
 * jobs, keys or files is the core's (`src/main/core`).
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import {
  BrowserWindow,
  ClipboardItem,
  Menu,
  Notification,
  app,
  clipboard,
  dialog,
  ipcMain,
  nativeImage,
  nativeTheme,
  protocol,
  safeStorage,
  screen,
  session,
  shell,
  type IpcMainEvent,
  type OpenDialogOptions,
} from 'electron';
import { z } from 'zod';
import type { CallResult } from '../../shared/contract';
import { OUTPUT_KINDS } from '../../shared/domain';
import { CALL_CHANNEL, DRAG_CHANNEL, EVENT_CHANNEL } from '../../shared/ipc';
import { bindEvents, createHandlers, dispatch, type Handlers } from '../core/api/handlers';
import { MEDIA_FOLDERS, mediaTypeOf, resolveInside } from '../core/api/paths';
import { readSettings, storedSettings } from '../core/api/settings';
import { GenVaultError } from '../core/errors';
import type { SecretBackend } from '../core/secrets';
import { Vault, defaultLibraryDir, type VaultOptions } from '../core/vault';
import { createActivityReporter } from './activity';
import { chooseSecretStore } from './keys';
import { menuTemplate } from './menu';
import { APP_URL, SCHEME, SCHEME_PRIVILEGES, createProtocolHandler } from './protocol';
import { hardenWebContents, isTrustedSender, secureWebPreferences } from './security';
import { restoreBounds, saveBounds } from './window-state';

export interface ShellOptions {
  /** The built preload (CommonJS: a sandboxed preload cannot be an ES module). */
  preload: string;
  /** The built renderer. */
  rendererDir: string;
  env?: NodeJS.ProcessEnv;
  /** The keychain to try first; keytar by default. */
  keychain?: SecretBackend;
  /** Queue tuning (tests use a fast poll policy); the concurrency setting of the library wins. */
  queue?: VaultOptions['queue'];
}

export interface Shell {
  vault: Vault;
  handlers: Handlers;
  keyNote: string | null;
  window(): BrowserWindow | null;
}

/** What the IPC wrapper answers a message that did not come from our window's top frame. */
export const REFUSED_SENDER: CallResult<never> = {
  ok: false,
  error: { kind: 'rejected', message: 'GenVault only answers requests from its own window.' },
};

const dragSchema = z.strictObject({
  jobId: z.string().min(1).max(200),
  kind: z.enum(OUTPUT_KINDS),
  index: z.number().int().min(0).max(3),
});

const BACKGROUND = { dark: '#15171c', light: '#f7f7f9' };

/** The paths of the built app, next to the bundled main process (`out/main`). */
export function builtAppPaths(): { preload: string; rendererDir: string } {
  return {
    preload: path.join(import.meta.dirname, '../preload/index.cjs'),
    rendererDir: path.join(import.meta.dirname, '../renderer'),
  };
}

/** Under `electron-vite dev` only: the loopback dev server the window loads instead of `genvault://app`. */
function devServerUrl(env: NodeJS.ProcessEnv): string | null {
  const raw = env.ELECTRON_RENDERER_URL;
  if (app.isPackaged || !raw) return null;
  try {
    const url = new URL(raw);
    return ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname) ? url.href : null;
  } catch {
    return null;
  }
}

function encodePath(relative: string): string {
  return relative.split('/').map(encodeURIComponent).join('/');
}

/**
 * Starts the app. Resolves with the running shell once the window exists and the queue runs, or null
 * when another instance already runs (it gets focused instead) or the library cannot be opened.
 */
export async function startApp(opts: ShellOptions): Promise<Shell | null> {
  const env = opts.env ?? process.env;
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }
  protocol.registerSchemesAsPrivileged([{ scheme: SCHEME, privileges: SCHEME_PRIVILEGES }]);

  const devUrl = devServerUrl(env);
  const devOrigin = devUrl ? new URL(devUrl).origin : null;
  const openExternal = (url: string) => void shell.openExternal(url);
  app.on('web-contents-created', (_event, contents) =>
    hardenWebContents(contents, { openExternal, devOrigin }),
  );

  await app.whenReady();

  const ses = session.defaultSession;
  // The renderer needs no camera, location or similar; copying a prompt is the one thing it may do.
  ses.setPermissionRequestHandler((_contents, permission, callback) =>
    callback(permission === 'clipboard-sanitized-write'),
  );
  ses.setPermissionCheckHandler((_contents, permission) => permission === 'clipboard-sanitized-write');

  const libraryDir = defaultLibraryDir(env);
  const { store, keyNote } = await chooseSecretStore({
    userDataDir: app.getPath('userData'),
    safeStorage,
    env,
    keychain: opts.keychain,
  });
  let vault: Vault;
  try {
    const queue = { ...opts.queue, concurrency: storedSettings(libraryDir).concurrency };
    vault = Vault.open({ libraryDir, secrets: store, env, queue });
  } catch (err) {
    dialog.showErrorBox('GenVault cannot open its library', err instanceof Error ? err.message : String(err));
    app.quit();
    return null;
  }
  const library = vault.library;

  let mainWindow: BrowserWindow | null = null;
  let closing = false;

  // A file is shown selected in its folder; a folder is opened.
  const reveal = async (target: string): Promise<void> => {
    const info = await stat(target).catch(() => null);
    if (info?.isFile()) {
      shell.showItemInFolder(target);
      return;
    }
    const problem = await shell.openPath(target);
    if (problem) throw new GenVaultError('failed', `The folder could not be opened: ${problem}`);
  };

  const chooseFolder = async (title: string): Promise<string | null> => {
    const options: OpenDialogOptions = {
      title,
      buttonLabel: 'Choose',
      properties: ['openDirectory', 'createDirectory'],
    };
    const win = mainWindow && !mainWindow.isDestroyed() ? mainWindow : null;
    const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  };

  // Electron's clipboard takes web-style items; PNG is the image type every platform's clipboard
  // carries, so the file is decoded and written as PNG whatever its own format.
  const copyImage = async (file: string): Promise<void> => {
    const image = nativeImage.createFromPath(file);
    if (image.isEmpty()) {
      throw new GenVaultError(
        'failed',
        'This image could not be put on the clipboard (its format is not supported there); export it instead.',
      );
    }
    const png = new Blob([new Uint8Array(image.toPNG())], { type: 'image/png' });
    await clipboard.write([new ClipboardItem({ 'image/png': png })]);
  };

  // Removed jobs' folders go to the system Trash, so a removal can be undone from there; a folder
  // that cannot be trashed (some network drives) stops the removal before its job's rows go (vault).
  const trash = async (targets: string[]): Promise<void> => {
    for (const target of targets) {
      try {
        await shell.trashItem(target);
      } catch (err) {
        throw new GenVaultError(
          'failed',
          `${target} could not be moved to the Trash (${err instanceof Error ? err.message : String(err)}).`,
        );
      }
    }
  };

  const handlers = createHandlers({ vault, keyNote, reveal, chooseFolder, copyImage, trash });

  protocol.handle(SCHEME, createProtocolHandler({ appDir: opts.rendererDir, libraryRoot: library.root }));

  const rememberBounds = (win: BrowserWindow) => {
    if (!closing && !win.isDestroyed()) saveBounds(library, win.getNormalBounds(), win.isMaximized());
  };

  const createWindow = (): BrowserWindow => {
    const bounds = restoreBounds(
      library,
      screen.getAllDisplays().map((d) => d.workArea),
    );
    const theme = readSettings(library).theme;
    const dark = theme === 'dark' || (theme === 'system' && nativeTheme.shouldUseDarkColors);
    const win = new BrowserWindow({
      width: bounds.width,
      height: bounds.height,
      ...(bounds.x !== undefined && bounds.y !== undefined ? { x: bounds.x, y: bounds.y } : {}),
      minWidth: 800,
      minHeight: 560,
      show: false,
      title: 'GenVault',
      backgroundColor: dark ? BACKGROUND.dark : BACKGROUND.light,
      webPreferences: secureWebPreferences(opts.preload),
    });
    if (bounds.maximized) win.maximize();
    win.once('ready-to-show', () => win.show());
    win.on('close', () => rememberBounds(win));
    win.on('closed', () => {
      if (mainWindow === win) mainWindow = null;
    });
    void win.loadURL(devUrl ?? APP_URL);
    mainWindow = win;
    return win;
  };

  const focusWindow = () => {
    const win = mainWindow ?? createWindow();
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  };

  ipcMain.handle(CALL_CHANNEL, async (event, name: unknown, request: unknown) => {
    if (!isTrustedSender(event, mainWindow, devOrigin)) {
      console.warn('genvault: refused a call from outside the GenVault window.');
      return REFUSED_SENDER;
    }
    return dispatch(handlers, name as string, request);
  });

  const startDrag = async (event: IpcMainEvent, request: unknown): Promise<void> => {
    const parsed = dragSchema.safeParse(request);
    if (!parsed.success) return;
    const { jobId, kind, index } = parsed.data;
    const output = library.getOutput(jobId, kind, index);
    if (!output?.path || output.state !== 'archived') return;
    const file = await resolveInside(library.root, encodePath(output.path), MEDIA_FOLDERS);
    if (!file.ok) return;
    const thumb = output.thumbPath
      ? await resolveInside(library.root, encodePath(output.thumbPath), MEDIA_FOLDERS)
      : null;
    const iconFile = thumb?.ok ? thumb.file : mediaTypeOf(file.file)?.startsWith('image/') ? file.file : null;
    const icon = iconFile ? nativeImage.createFromPath(iconFile).resize({ width: 96 }) : null;
    if (!icon || icon.isEmpty() || event.sender.isDestroyed()) return;
    event.sender.startDrag({ file: file.file, icon });
  };
  ipcMain.on(DRAG_CHANNEL, (event, request: unknown) => {
    if (!isTrustedSender(event, mainWindow, devOrigin)) return;
    startDrag(event, request).catch((err: unknown) => console.error('genvault: drag failed:', err));
  });

  const report = createActivityReporter({
    notify: (title, body) => {
      if (Notification.isSupported()) new Notification({ title, body }).show();
    },
    setBadge: (count) => void app.setBadgeCount(count),
    notificationsEnabled: () => readSettings(library).notifications,
    unfinished: library.unfinishedJobs().map((j) => ({ id: j.id, status: j.status })),
  });
  const unbindEvents = bindEvents(vault, (event, payload) => {
    const win = mainWindow;
    if (win && !win.isDestroyed() && !win.webContents.isDestroyed()) {
      win.webContents.send(EVENT_CHANNEL, { event, payload });
    }
    report(event, payload);
  });

  const openLibraryFolder = () => {
    reveal(library.root).catch((err: unknown) => {
      dialog.showErrorBox('GenVault', err instanceof Error ? err.message : String(err));
    });
  };
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(menuTemplate({ isMac: process.platform === 'darwin', openLibraryFolder })),
  );

  app.on('second-instance', () => focusWindow());
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  // The first quit is held until the queue has stopped (in-flight requests settle, downloads end
  // cleanly) and the library is closed; then the app quits for real.
  let shutdown: Promise<void> | null = null;
  let shutDown = false;
  app.on('before-quit', (event) => {
    if (shutDown) return;
    event.preventDefault();
    shutdown ??= (async () => {
      if (mainWindow) rememberBounds(mainWindow);
      closing = true;
      unbindEvents();
      await vault.close();
    })()
      .catch((err: unknown) => console.error('genvault: shutting down failed:', err))
      .finally(() => {
        shutDown = true;
        app.quit();
      });
  });

  createWindow();
  await vault.start();
  return { vault, handlers, keyNote, window: () => mainWindow };
}
