/**
 * Settings and account: app settings (theme, notifications, concurrency), the Legnext key status
 * (never the key itself: only whether it is set and its last 4 characters), the balance and the
 * library folder's size.
 */
import { create } from 'zustand';
import type { BalanceView, KeyStatusView, LibraryInfoView, Settings } from '../../../shared/contract';
import { call, failureMessage } from '../api';

interface SettingsState {
  settings: Settings | null;
  key: KeyStatusView | null;
  balance: BalanceView | null;
  balanceError: string | null;
  library: LibraryInfoView | null;
}

export const useSettings = create<SettingsState>()(() => ({
  settings: null,
  key: null,
  balance: null,
  balanceError: null,
  library: null,
}));

/**
 * What the account can spend, in the unit task costs are quoted in. Legnext reports paid credits and
 * bonus points separately, both worth $0.001 (its example: 71 000 + 1 048 = $72.048), and spends both.
 */
export function spendable(balance: BalanceView): number {
  return balance.credits + balance.points;
}

export async function loadSettings(): Promise<void> {
  const [settings, key] = await Promise.all([
    call('settings.get', {}),
    call('keys.status', { provider: 'legnext' }),
  ]);
  useSettings.setState({ settings, key });
}

export async function updateSettings(patch: Partial<Settings>): Promise<void> {
  const before = useSettings.getState().settings;
  if (before) useSettings.setState({ settings: { ...before, ...patch } });
  try {
    useSettings.setState({ settings: await call('settings.set', patch) });
  } catch (err) {
    useSettings.setState({ settings: before });
    throw err;
  }
}

/** Checks the key with a balance call and stores it; rejects with the reason when it is refused. */
export async function saveKey(key: string): Promise<KeyStatusView> {
  const status = await call('keys.set', { provider: 'legnext', key: key.trim() });
  useSettings.setState({ key: status });
  void refreshBalance();
  return status;
}

export async function removeKey(): Promise<void> {
  const status = await call('keys.clear', { provider: 'legnext' });
  useSettings.setState({ key: status, balance: null, balanceError: null });
}

export async function refreshBalance(): Promise<void> {
  if (!useSettings.getState().key?.set) return;
  try {
    useSettings.setState({ balance: await call('account.balance', {}), balanceError: null });
  } catch (err) {
    useSettings.setState({ balanceError: failureMessage(err) });
  }
}

export async function loadLibraryInfo(): Promise<void> {
  useSettings.setState({ library: await call('library.info', {}) });
}

/** Opens the library folder, or one job's folder, in the system file manager (desktop app only). */
export async function revealInFileManager(id?: string): Promise<void> {
  await call('library.reveal', id === undefined ? {} : { id });
}
