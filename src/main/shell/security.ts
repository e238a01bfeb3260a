/**
 * The shell's security rules in one place: the window's webPreferences, navigation and pop-up denial
 * for every webContents, and the check every IPC message passes before it reaches the core (our
 * window, its top frame, our origin).
 */
import type { IpcMainEvent, IpcMainInvokeEvent, WebContents, WebPreferences } from 'electron';
import { SCHEME, APP_HOST } from './protocol';

export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: true,
  };
}

/** `genvault://app` in production; the dev server's origin under `electron-vite dev`. */
export function isTrustedUrl(url: string, devOrigin: string | null): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === `${SCHEME}:` && parsed.host === APP_HOST) return true;
  return devOrigin !== null && parsed.origin === devOrigin;
}

/**
 * An IPC message is trusted only from the main window's own webContents, from its top frame (never an
 * iframe), while that frame shows our app.
 */
export function isTrustedSender(
  event: IpcMainInvokeEvent | IpcMainEvent,
  window: { webContents: WebContents } | null,
  devOrigin: string | null,
): boolean {
  if (!window || event.sender !== window.webContents) return false;
  // Only the top frame has no parent: an iframe (the app has none) never reaches the core.
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  return isTrustedUrl(frame.url, devOrigin);
}

function isWebLink(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

/**
 * Applied to every webContents the app creates: no navigation away from the app, no `<webview>`, no new
 * windows. A link the person clicked to open in a new window (an http(s) `target=_blank` link, which the
 * renderer uses for help and account pages) opens in the system browser instead.
 */
export function hardenWebContents(
  contents: WebContents,
  opts: { openExternal: (url: string) => void; devOrigin: string | null },
): void {
  contents.on('will-navigate', (event, url) => {
    if (!isTrustedUrl(url, opts.devOrigin)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isTrustedUrl(url, opts.devOrigin)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url, disposition }) => {
    const userOpened =
      disposition === 'foreground-tab' || disposition === 'background-tab' || disposition === 'new-window';
    if (userOpened && isWebLink(url)) opts.openExternal(url);
    return { action: 'deny' };
  });
}
