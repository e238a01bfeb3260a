/**
 * End-to-end harness: the real renderer bundle, served by the real web bridge over a real Vault (its
 * own temp library) that talks to the Legnext simulator, driven in Debian's Chromium. Every helper
 * waits on DOM or library state, never on fixed sleeps.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { JobView } from '../../src/shared/domain';
import { startBridge, type BridgeHandle } from '../../src/main/bridge/server';
import { openTestVault, type TestVault } from '../api/support';
import type { LegnextSimOptions } from '../sim/legnext/index';
import { ensureRendererBuilt } from './build-renderer';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

export const SCREENSHOT_DIR = path.resolve('test-results/screenshots');

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export interface AppSession {
  t: TestVault;
  bridge: BridgeHandle;
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors and console errors seen so far. */
  errors: string[];
  /** Closes the page, the bridge, then the Vault, simulator and temp library. */
  close(): Promise<void>;
}

export interface AppOptions {
  /** The stored Legnext key; null for none (first launch). Default: the simulator's key. */
  key?: string | null;
  sim?: LegnextSimOptions;
  colorScheme?: 'light' | 'dark';
  viewport?: { width: number; height: number };
  /** Runs once the Vault's queue has started and before the page loads, e.g. to fill the library. */
  prepare?: (t: TestVault) => Promise<void>;
  /** The note the main side attaches to key statuses when no keychain answered (see HandlerContext). */
  keyNote?: string;
}

/** Console messages that are the browser's, not the app's (e.g. a media request aborted by a reload). */
const BENIGN_CONSOLE = [/net::ERR_ABORTED/, /Failed to load resource.*\/ws\b/];

export async function openApp(browser: Browser, opts: AppOptions = {}): Promise<AppSession> {
  const rendererDir = await ensureRendererBuilt();
  const t = await openTestVault({ key: opts.key, sim: opts.sim });
  let bridge: BridgeHandle | undefined;
  let context: BrowserContext | undefined;
  try {
    await t.vault.start();
    await opts.prepare?.(t);
    bridge = await startBridge({ vault: t.vault, rendererDir, keyNote: opts.keyNote });
    context = await browser.newContext({
      viewport: opts.viewport ?? { width: 1440, height: 900 },
      colorScheme: opts.colorScheme ?? 'light',
      reducedMotion: 'reduce',
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !BENIGN_CONSOLE.some((re) => re.test(msg.text()))) {
        errors.push(`console: ${msg.text()}`);
      }
    });
    await page.goto(bridge.url);
    const session: AppSession = {
      t,
      bridge,
      context,
      page,
      errors,
      async close() {
        await context!.close();
        await bridge!.close();
        await t.close();
      },
    };
    return session;
  } catch (err) {
    await context?.close();
    await bridge?.close();
    await t.close();
    throw err;
  }
}

export interface AppHarness {
  /** Opens the app (see `openApp`); it is closed after the test that opened it. */
  open(opts?: AppOptions): Promise<AppSession>;
  /**
   * Opens the app on a library holding one finished image job made from `prompt` (after `opts.prepare`,
   * when given), and returns that job with the session.
   */
  openWithImageJob(prompt: string, opts?: AppOptions): Promise<AppSession & { job: JobView }>;
}

/**
 * The hooks every e2e file needs: one browser for the file, launched before its first test and closed
 * after its last, and every app opened through the returned `open` closed after its test. A test's own
 * teardown registered with `onTestFinished` runs after its app has closed.
 */
export function useApp(): AppHarness {
  let browser: Browser | undefined;
  const sessions: AppSession[] = [];
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterEach(async () => {
    for (const session of sessions.splice(0).reverse()) await session.close();
  });
  afterAll(async () => {
    await browser?.close();
  });
  const open = async (opts: AppOptions = {}): Promise<AppSession> => {
    if (!browser) throw new Error('useApp().open runs inside a test, after the browser has launched.');
    const session = await openApp(browser, opts);
    sessions.push(session);
    return session;
  };
  return {
    open,
    async openWithImageJob(prompt, opts = {}) {
      let job: JobView | undefined;
      const session = await open({
        ...opts,
        prepare: async (t) => {
          await opts.prepare?.(t);
          job = await makeImageJob(t, prompt);
        },
      });
      return Object.assign(session, { job: job! });
    },
  };
}

/**
 * The few browser globals that the page-side functions below touch. This file is compiled for Node,
 * without the DOM library; each such function reaches them through `globalThis` and runs in the page.
 * (Conditions cannot be passed as source text: the page's CSP forbids eval, and the tests keep it on.)
 */
interface PageElement {
  readonly textContent: string | null;
  readonly value?: string;
  readonly complete?: boolean;
  readonly naturalWidth?: number;
  readonly currentSrc?: string;
  getAttribute(name: string): string | null;
}

interface PageGlobals {
  document: {
    querySelector(selector: string): PageElement | null;
    querySelectorAll(selector: string): ArrayLike<PageElement> & Iterable<PageElement>;
    readonly activeElement: PageElement | null;
    readonly images: ArrayLike<PageElement> & Iterable<PageElement>;
    readonly documentElement: { readonly dataset: Record<string, string | undefined> };
  };
  location: { readonly hash: string };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  // Every image on screen has finished decoding, so the picture shows what a person would see; then two
  // frames, so styles from a just-changed media query or theme are applied and painted.
  await page.waitForFunction(() =>
    [...(globalThis as unknown as PageGlobals).document.images].every(
      (img) => img.complete && ((img.naturalWidth ?? 0) > 0 || !img.currentSrc),
    ),
  );
  await page.evaluate(
    'new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))',
  );
  await page.screenshot({ path: file });
  return file;
}

export async function waitForCount(page: Page, selector: string, count: number): Promise<void> {
  await page.waitForFunction(
    ([sel, n]) => (globalThis as unknown as PageGlobals).document.querySelectorAll(sel).length === n,
    [selector, count] as const,
  );
}

/** Every `<img>` matching `selector` has loaded and decoded (and there are `count` of them, when given). */
export async function waitForDecoded(page: Page, selector: string, count?: number): Promise<void> {
  await page.waitForFunction(
    ([sel, n]) => {
      const imgs = [...(globalThis as unknown as PageGlobals).document.querySelectorAll(sel)];
      return (
        imgs.length > 0 &&
        (n === null || imgs.length === n) &&
        imgs.every((img) => img.complete && (img.naturalWidth ?? 0) > 0)
      );
    },
    [selector, count ?? null] as const,
  );
}

export async function waitForText(page: Page, selector: string, text: string): Promise<void> {
  await page.waitForFunction(
    ([sel, t]) => (globalThis as unknown as PageGlobals).document.querySelector(sel)?.textContent === t,
    [selector, text] as const,
  );
}

export async function waitForTextPart(page: Page, selector: string, part: string): Promise<void> {
  await page.waitForFunction(
    ([sel, t]) =>
      [...(globalThis as unknown as PageGlobals).document.querySelectorAll(sel)].some((el) =>
        el.textContent?.includes(t),
      ),
    [selector, part] as const,
  );
}

export async function waitForValue(page: Page, selector: string, value: string): Promise<void> {
  await page.waitForFunction(
    ([sel, v]) => (globalThis as unknown as PageGlobals).document.querySelector(sel)?.value === v,
    [selector, value] as const,
  );
}

/** The `data-index` of the element with focus (a library card), or -1. */
export async function focusedIndex(page: Page): Promise<number> {
  return page.evaluate(() =>
    Number((globalThis as unknown as PageGlobals).document.activeElement?.getAttribute('data-index') ?? -1),
  );
}

export async function waitForFocusedIndex(page: Page, index: number): Promise<void> {
  await page.waitForFunction(
    (i) => (globalThis as unknown as PageGlobals).document.activeElement?.getAttribute('data-index') === i,
    String(index),
  );
}

export async function waitForTheme(page: Page, theme: string): Promise<void> {
  await page.waitForFunction(
    (t) => (globalThis as unknown as PageGlobals).document.documentElement.dataset.theme === t,
    theme,
  );
}

export async function waitForHash(page: Page, hash: string): Promise<void> {
  await page.waitForFunction((h) => (globalThis as unknown as PageGlobals).location.hash === h, hash);
}

/**
 * Goes to `hash` and resolves once the page has handled the `hashchange` (the app routes on it), so the
 * view on screen afterwards is the new route's, not the previous one still waiting for the event.
 */
export async function setHash(page: Page, hash: string): Promise<void> {
  await page.evaluate(`new Promise((resolve) => {
    const before = window.location.hash;
    window.location.hash = ${JSON.stringify(hash)};
    if (window.location.hash === before) resolve(undefined);
    else window.addEventListener('hashchange', () => resolve(undefined), { once: true });
  })`);
}

const require = createRequire(import.meta.url);

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** Runs axe-core in the page; returns the serious and critical violations. */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  const source = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  // The page's CSP (script-src 'self') refuses an inline <script>, and the tests keep that CSP on;
  // evaluating through the DevTools protocol is not a page script, so it is allowed.
  if (!(await page.evaluate("typeof axe !== 'undefined'"))) await page.evaluate(source);
  return (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) =>
    r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) })))`)) as AxeViolation[];
}

/** Submits an image job through the core and waits until it is done and its files are archived. */
export async function makeImageJob(t: TestVault, prompt: string): Promise<JobView> {
  const job = t.vault.imagine(prompt);
  return t.vault.waitFor(job.id, { giveUpAfterAttempts: 20 });
}

/** Several image jobs, submitted in order (oldest first) and awaited together. */
export async function makeImageJobs(t: TestVault, prompts: readonly string[]): Promise<JobView[]> {
  const jobs = prompts.map((prompt) => t.vault.imagine(prompt));
  return Promise.all(jobs.map((job) => t.vault.waitFor(job.id, { giveUpAfterAttempts: 20 })));
}

/** Path and decoded width of every `<img>` inside `selector`. */
export async function imageSources(
  page: Page,
  selector: string,
): Promise<Array<{ src: string; width: number }>> {
  return (await page.evaluate(
    `[...document.querySelectorAll(${JSON.stringify(`${selector} img`)})].map((img) => ({
      src: new URL(img.currentSrc || img.src).pathname,
      width: img.naturalWidth,
    }))`,
  )) as Array<{ src: string; width: number }>;
}

/**
 * What the OS does when a file is dropped: dragenter, dragover and drop on `selector`, carrying a File
 * made from `bytes`. Built in the page (the file really travels through FileReader and `files.import`).
 */
export async function dropFile(
  page: Page,
  selector: string,
  name: string,
  bytes: Buffer,
  type = 'image/png',
): Promise<void> {
  await page.evaluate(`(() => {
    const binary = atob(${JSON.stringify(bytes.toString('base64'))});
    const data = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) data[i] = binary.charCodeAt(i);
    const transfer = new DataTransfer();
    transfer.items.add(new File([data], ${JSON.stringify(name)}, { type: ${JSON.stringify(type)} }));
    const target = document.querySelector(${JSON.stringify(selector)});
    for (const type of ['dragenter', 'dragover', 'drop']) {
      target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }));
    }
  })()`);
}
