/**
 * A fake of the `electron` module for the shell's unit tests. This machine cannot download or run the
 * Electron binary (DESIGN.md §5), so the shell is exercised against this stand-in: it records what the
 * shell asks of Electron (window options, IPC handlers, protocol handlers, notifications, quit) and lets
 * a test play Electron's part (emit app events, send IPC from a chosen sender/frame). Everything the
 * shell does with the core — the Vault, the library, the simulator — stays real.
 */
import { EventEmitter } from 'node:events';
import { mkdirSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { vi } from 'vitest';

export interface FakeFrame {
  url: string;
  parent: FakeFrame | null;
}

export class FakeWebContents extends EventEmitter {
  readonly mainFrame: FakeFrame = { url: '', parent: null };
  readonly sent: Array<{ channel: string; message: unknown }> = [];
  windowOpenHandler: ((details: { url: string; disposition: string }) => { action: string }) | null = null;
  readonly startDrag = vi.fn();
  destroyed = false;
  send(channel: string, message: unknown): void {
    this.sent.push({ channel, message });
  }
  setWindowOpenHandler(handler: (details: { url: string; disposition: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static all: FakeBrowserWindow[] = [];
  static getAllWindows(): FakeBrowserWindow[] {
    return FakeBrowserWindow.all.filter((w) => !w.destroyed);
  }
  readonly webContents = new FakeWebContents();
  readonly loadURL = vi.fn(async (url: string) => {
    this.webContents.mainFrame.url = url;
  });
  readonly show = vi.fn();
  readonly focus = vi.fn();
  readonly restore = vi.fn();
  readonly maximize = vi.fn(() => {
    this.maximized = true;
  });
  maximized = false;
  destroyed = false;
  bounds: { x: number; y: number; width: number; height: number };

  constructor(readonly options: Record<string, unknown>) {
    super();
    this.bounds = {
      x: (options.x as number | undefined) ?? 100,
      y: (options.y as number | undefined) ?? 80,
      width: options.width as number,
      height: options.height as number,
    };
    FakeBrowserWindow.all.push(this);
    app.emit('web-contents-created', { preventDefault() {} }, this.webContents);
  }
  isMinimized(): boolean {
    return false;
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  getNormalBounds() {
    return { ...this.bounds };
  }
  /** What Electron does when the person closes the window. */
  close(): void {
    this.emit('close', { preventDefault() {} });
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
}

class FakeApp extends EventEmitter {
  isPackaged = false;
  userData = '';
  readonly requestSingleInstanceLock = vi.fn(() => true);
  readonly quit = vi.fn();
  readonly setBadgeCount = vi.fn((_count: number) => true);
  readonly whenReady = vi.fn(async () => undefined);
  getPath(name: string): string {
    if (name !== 'userData') throw new Error(`the fake app has no path ${name}`);
    return this.userData;
  }
}

export const app = new FakeApp();

class FakeIpcMain extends EventEmitter {
  readonly handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  handle(channel: string, handler: (event: unknown, ...args: unknown[]) => unknown): void {
    // Electron refuses a second handler on a channel; so does the fake.
    if (this.handlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }
}
export const ipcMain = new FakeIpcMain();

export const protocol = {
  registerSchemesAsPrivileged: vi.fn(),
  handle: vi.fn(),
};

export const session = {
  defaultSession: { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn() },
};

export const safeStorage = {
  available: true,
  isEncryptionAvailable(): boolean {
    return this.available;
  },
  getSelectedStorageBackend: () => 'gnome_libsecret',
  // Reversible and visibly not the plain text: enough to tell stored-encrypted from stored-plain.
  encryptString: (plain: string) => Buffer.from([...Buffer.from(plain, 'utf8')].map((b) => b ^ 0x5a)),
  decryptString: (data: Buffer) => Buffer.from([...data].map((b) => b ^ 0x5a)).toString('utf8'),
};

export const screen = {
  getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }],
};

export const nativeTheme = { shouldUseDarkColors: false };

/** The fake system Trash: a folder that trashed items are moved into; `refuse` makes trashing fail. */
export const trashBin = { dir: '', refuse: false };

export const shell = {
  openExternal: vi.fn(async () => undefined),
  openPath: vi.fn(async (_path: string) => ''),
  showItemInFolder: vi.fn((_path: string) => undefined),
  trashItem: vi.fn(async (target: string) => {
    if (trashBin.refuse) throw new Error('Operation not supported');
    mkdirSync(trashBin.dir, { recursive: true });
    renameSync(
      target,
      path.join(trashBin.dir, `${shell.trashItem.mock.calls.length}-${path.basename(target)}`),
    );
  }),
};

/** What the next folder picker answers; a test sets it before the call that opens the picker. */
export const dialogAnswer: { canceled: boolean; filePaths: string[] } = { canceled: true, filePaths: [] };

export const dialog = {
  showErrorBox: vi.fn(),
  // Electron's overloads: (window, options) or (options).
  showOpenDialog: vi.fn(async (..._args: unknown[]) => ({ ...dialogAnswer })),
};

/** Electron's web-style clipboard item: a map from MIME type to data. */
export class ClipboardItem {
  constructor(readonly items: Record<string, unknown>) {}
  get types(): string[] {
    return Object.keys(this.items);
  }
}

export const clipboard = {
  write: vi.fn(async (_items: ClipboardItem[]) => undefined),
};

export const Menu = {
  buildFromTemplate: vi.fn((template: unknown[]) => ({ template })),
  setApplicationMenu: vi.fn(),
};

export class Notification {
  static shown: Array<{ title: string; body: string }> = [];
  static isSupported(): boolean {
    return true;
  }
  constructor(private readonly options: { title: string; body: string }) {}
  show(): void {
    Notification.shown.push(this.options);
  }
}

/** Images are "decoded" by reading the file; a file that does not exist is an empty image, as in Electron. */
export const nativeImage = {
  createFromPath: (file: string) => {
    let bytes: Buffer | null;
    try {
      bytes = readFileSync(file);
    } catch {
      bytes = null;
    }
    const image = {
      file,
      isEmpty: () => bytes === null || bytes.length === 0,
      resize: () => image,
      toPNG: () => bytes ?? Buffer.alloc(0),
    };
    return image;
  },
};

export const BrowserWindow = FakeBrowserWindow;

/** Back to a fresh Electron between tests: no listeners, no windows, no recorded calls. */
export function resetFakeElectron(userData: string): void {
  app.removeAllListeners();
  app.isPackaged = false;
  app.userData = userData;
  trashBin.dir = path.join(path.dirname(userData), 'Trash');
  trashBin.refuse = false;
  ipcMain.removeAllListeners();
  ipcMain.handlers.clear();
  FakeBrowserWindow.all = [];
  Notification.shown = [];
  safeStorage.available = true;
  dialogAnswer.canceled = true;
  dialogAnswer.filePaths = [];
  vi.clearAllMocks();
}
