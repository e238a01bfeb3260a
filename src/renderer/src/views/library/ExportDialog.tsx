/**
 * The export dialog of the browser version: the desktop app shows its own folder picker, a browser
 * cannot, so the folder is typed (the web bridge runs on this computer, so any local path works). The
 * last folder used is offered again.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { failureMessage } from '../../api';
import { Icon } from '../../components/Icon';
import { Spinner } from '../../components/ui';
import { pluralize } from '../../lib/format';
import { cancelExport, exportTo, lastExportDir, useOutputs } from '../../store/outputs';

export function ExportDialog() {
  const refs = useOutputs((s) => s.exporting);
  const label = useOutputs((s) => s.exportLabel);
  const busy = useOutputs((s) => s.busy);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const [dir, setDir] = useState('');
  const [error, setError] = useState<string | null>(null);
  const open = refs !== null;

  // Set on opening, in the same render as the remembered folder: the field is selected once it shows it.
  const [selectPending, setSelectPending] = useState(false);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      setDir(lastExportDir());
      setError(null);
      setSelectPending(true);
      dialog.showModal();
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);

  useEffect(() => {
    if (!selectPending) return;
    setSelectPending(false);
    inputRef.current?.focus();
    inputRef.current?.select();
  }, [selectPending]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!dir.trim()) {
      setError('Type the folder to export to.');
      return;
    }
    try {
      await exportTo(dir);
    } catch (err) {
      setError(failureMessage(err));
      inputRef.current?.focus();
    }
  };

  return (
    <dialog ref={dialogRef} className="modal" aria-labelledby="export-title" onClose={cancelExport}>
      {refs ? (
        <form className="modal-body" onSubmit={(e) => void submit(e)}>
          <h2 id="export-title">
            <Icon name="export" size={18} /> Export {label}
          </h2>
          <p className="muted small">
            {pluralize(refs.length, 'file')} will be copied with readable names (date, prompt, job). Files
            already in the folder are never replaced.
          </p>
          <div className="field">
            <label htmlFor="export-dir">Folder on this computer</label>
            <input
              ref={inputRef}
              id="export-dir"
              className="input mono"
              value={dir}
              placeholder="/home/you/Pictures/GenVault"
              spellCheck={false}
              autoComplete="off"
              aria-invalid={error !== null}
              aria-describedby={error ? 'export-error' : 'export-hint'}
              onChange={(e) => {
                setDir(e.target.value);
                setError(null);
              }}
            />
            {error ? (
              <p id="export-error" className="field-error" role="alert">
                {error}
              </p>
            ) : (
              <p id="export-hint" className="field-hint">
                The full path; the folder is created if it does not exist.
              </p>
            )}
          </div>
          <div className="modal-actions">
            <button type="button" className="btn" onClick={cancelExport}>
              Cancel
            </button>
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {busy ? <Spinner label="Exporting" /> : <Icon name="export" size={16} />} Export
            </button>
          </div>
        </form>
      ) : null}
    </dialog>
  );
}
