/**
 * Outputs leaving the app: export to a folder, copy an image to the clipboard, show a file in the file
 * manager. In the desktop app the core asks for the folder (a native picker) and writes the clipboard;
 * in a browser (the web bridge) the export dialog asks for a folder path and the page copies the image
 * itself, since only the page can reach the browser's clipboard.
 */
import { create } from 'zustand';
import type { CallResponse, OutputRef } from '../../../shared/contract';
import type { JobView, OutputView } from '../../../shared/domain';
import { call, failureMessage, transport } from '../api';
import { pluralize } from '../lib/format';
import { viewableOutputs } from '../lib/jobs';
import { fileSrc } from '../lib/media';
import { fetchJob, getJob } from './jobs';
import { toast } from './ui';

type ExportResult = NonNullable<CallResponse<'outputs.export'>>;

interface OutputsState {
  /** Outputs waiting for a folder in the export dialog (browser only); null when it is closed. */
  exporting: OutputRef[] | null;
  /** What the dialog is about, e.g. "3 jobs". */
  exportLabel: string;
  busy: boolean;
}

export const useOutputs = create<OutputsState>()(() => ({ exporting: null, exportLabel: '', busy: false }));

const LAST_DIR_KEY = 'genvault.exportDir';

export function lastExportDir(): string {
  try {
    return localStorage.getItem(LAST_DIR_KEY) ?? '';
  } catch {
    return '';
  }
}

function rememberExportDir(dir: string): void {
  try {
    localStorage.setItem(LAST_DIR_KEY, dir);
  } catch {
    // Private windows may refuse storage; the folder is then asked again next time.
  }
}

/** What exporting a job means: its images or videos (not the 4-up grid when the images exist). */
export function exportRefs(job: JobView): OutputRef[] {
  return viewableOutputs(job).map((o) => ({ id: job.id, kind: o.kind, index: o.index }));
}

/** The refs of several jobs, fetching any the cache no longer holds. */
export async function exportRefsOf(ids: readonly string[]): Promise<OutputRef[]> {
  const jobs = await Promise.all(ids.map((id) => getJob(id) ?? fetchJob(id)));
  return jobs.flatMap(exportRefs);
}

function reportExport(result: ExportResult): void {
  const wrote = `Exported ${pluralize(result.written, 'file')} to ${result.dir}.`;
  if (result.skipped.length === 0) {
    toast(wrote, result.written > 0 ? 'success' : 'info');
    return;
  }
  const first = result.skipped[0]!;
  const skipped = `${pluralize(result.skipped.length, 'file')} skipped (${first.reason.replace(/\.$/, '')}${
    result.skipped.length > 1 ? ', and others' : ''
  }).`;
  toast(`${wrote} ${skipped}`, result.written > 0 ? 'info' : 'danger');
}

/**
 * Starts an export. The desktop app asks for the folder with its own picker; a browser opens the
 * export dialog, which calls `exportTo` with the folder typed there.
 */
export async function requestExport(refs: OutputRef[], label: string): Promise<void> {
  if (refs.length === 0) {
    toast('There is nothing to export yet.', 'info');
    return;
  }
  if (transport() !== 'electron') {
    useOutputs.setState({ exporting: refs, exportLabel: label });
    return;
  }
  useOutputs.setState({ busy: true });
  try {
    const result = await call('outputs.export', { items: refs, dir: null });
    if (result) reportExport(result);
  } catch (err) {
    toast(failureMessage(err), 'danger');
  } finally {
    useOutputs.setState({ busy: false });
  }
}

/** The dialog's "Export": resolves once written; rejects with the reason so the dialog can show it. */
export async function exportTo(dir: string): Promise<void> {
  const refs = useOutputs.getState().exporting;
  if (!refs) return;
  useOutputs.setState({ busy: true });
  try {
    const result = await call('outputs.export', { items: refs, dir: dir.trim() });
    rememberExportDir(dir.trim());
    useOutputs.setState({ exporting: null });
    if (result) reportExport(result);
  } finally {
    useOutputs.setState({ busy: false });
  }
}

export function cancelExport(): void {
  useOutputs.setState({ exporting: null });
}

/** A picture decoded and drawn again as PNG: the one image type every clipboard accepts. */
async function asPng(blob: Blob): Promise<Blob> {
  if (blob.type === 'image/png') return blob;
  const bitmap = await createImageBitmap(blob);
  const canvas = document.createElement('canvas');
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  canvas.getContext('2d')?.drawImage(bitmap, 0, 0);
  bitmap.close();
  return new Promise((resolve, reject) =>
    canvas.toBlob((png) => (png ? resolve(png) : reject(new Error('PNG encoding failed'))), 'image/png'),
  );
}

async function fetchPng(url: string): Promise<Blob> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`the file could not be read (HTTP ${res.status})`);
  return asPng(await res.blob());
}

/** Copies an archived image. Resolves with false (and says why in a toast) when it could not. */
export async function copyOutputImage(job: JobView, output: OutputView): Promise<boolean> {
  if (output.kind === 'video') {
    toast('Only images can be copied; drag or export a video instead.', 'info');
    return false;
  }
  if (transport() === 'electron') {
    try {
      const { ok } = await call('outputs.copy', { id: job.id, kind: output.kind, index: output.index });
      if (ok) toast('Image copied.', 'success');
      else toast('The clipboard is not available here.', 'danger');
      return ok;
    } catch (err) {
      toast(failureMessage(err), 'danger');
      return false;
    }
  }
  const url = fileSrc(output);
  if (!url) {
    toast('This image is not saved in the library yet, so there is nothing to copy.', 'info');
    return false;
  }
  if (!navigator.clipboard?.write || typeof ClipboardItem === 'undefined') {
    toast('This browser does not let pages copy images; drag the image or export it instead.', 'danger');
    return false;
  }
  try {
    // The item takes the promise itself, so the write starts inside the click that asked for it.
    await navigator.clipboard.write([new ClipboardItem({ 'image/png': fetchPng(url) })]);
    toast('Image copied.', 'success');
    return true;
  } catch (err) {
    const reason = err instanceof Error && err.message ? err.message : String(err);
    toast(`The image could not be copied: ${reason.replace(/\.$/, '')}.`, 'danger');
    return false;
  }
}

/** Shows the output's file selected in the system file manager (desktop app only). */
export async function revealOutput(job: JobView, output?: OutputView): Promise<void> {
  try {
    const { ok } = await call(
      'library.reveal',
      output ? { id: job.id, kind: output.kind, index: output.index } : { id: job.id },
    );
    if (!ok) toast('Showing files needs the desktop app.', 'info');
  } catch (err) {
    toast(failureMessage(err), 'danger');
  }
}
