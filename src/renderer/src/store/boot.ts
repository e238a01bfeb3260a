/**
 * Start-up: settings and key status first (they decide between the welcome screen and the app),
 * then everything else in parallel. Events are subscribed before anything loads, so no change made
 * while loading is missed.
 */
import { loadActivity } from './activity';
import { reloadLibrary } from './library';
import { loadLibraryInfo, loadSettings, refreshBalance, useSettings } from './settings';
import { showWelcome } from './ui';

export async function startApp(): Promise<void> {
  await loadSettings();
  if (!useSettings.getState().key?.set) showWelcome();
  void loadActivity();
  void reloadLibrary();
  void refreshBalance();
  void loadLibraryInfo().catch(() => undefined);
}
