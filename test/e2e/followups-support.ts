/**
 * What the follow-up panel e2e tests share: opening a job and a panel, reading what the simulator
 * received, and waiting for a child to finish, all on DOM or simulator state.
 */
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { RecordedRequest } from '../sim/legnext/index';
import { setHash, waitForCount, type AppSession } from './harness';

/** Opens a job's detail view (of any job: an image grid, a video) and waits for the view. */
export async function showJob(page: Page, id: string): Promise<void> {
  await setHash(page, `#/job/${encodeURIComponent(id)}`);
  await page.locator('.detail').waitFor();
}

/** Opens an image job's detail view and waits for its four images and its follow-ups area. */
export async function openJob(page: Page, id: string): Promise<void> {
  await showJob(page, id);
  await waitForCount(page, '.outputs img', 4);
  await page.locator('#followups').waitFor();
}

/** A follow-up's button in the list, by the follow-up's exact name. */
export function opButton(page: Page, name: string) {
  return page.locator('.fu-op').filter({ has: page.locator('.fu-op-name').getByText(name, { exact: true }) });
}

/** Opens a follow-up's panel from the list. */
export async function openPanel(page: Page, name: string): Promise<void> {
  await opButton(page, name).click();
  await page.locator('#fu-open-panel form').waitFor();
}

/** The one POST the simulator received on `path` after the first `from` requests. */
export function postTo(app: AppSession, path: string, from: number): RecordedRequest {
  const posts = app.t.sim.requests.slice(from).filter((r) => r.method === 'POST' && r.path === path);
  expect(posts).toHaveLength(1);
  return posts[0]!;
}

/**
 * Waits until the family lists a finished child whose note matches (the request has been answered);
 * returns its link.
 */
export async function familyChildDone(page: Page, note: string): Promise<Locator> {
  const link = page.locator('.family-link', { hasText: note });
  await link.locator('.badge', { hasText: 'Done' }).waitFor();
  return link;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A point of the stage at fractions of its size, in page coordinates. */
export function at(box: Box, fx: number, fy: number): { x: number; y: number } {
  return { x: box.x + box.width * fx, y: box.y + box.height * fy };
}

/** Scrolls the view's own body so `selector` sits at its top (the window itself never scrolls). */
export async function scrollToTop(page: Page, selector: string): Promise<void> {
  await page.locator(selector).evaluate((el) => {
    interface Scrollable {
      scrollTop: number;
      getBoundingClientRect(): { top: number };
    }
    const target = el as unknown as Scrollable & { closest(s: string): Scrollable | null };
    const body = target.closest('.view-body');
    if (body) body.scrollTop += target.getBoundingClientRect().top - body.getBoundingClientRect().top - 12;
  });
}
