/**
 * Module-level wiring of pushed events to the slices: a `job` event refreshes the cache, Activity's
 * lists, the library listing (when the job is new to it) and the open detail's family; `download`, `queue` and the state of the link itself feed Activity.
 */
import { on, onConnectionChange } from '../api';
import { noteConnection, noteDownload, noteJob, noteQueue } from './activity';
import { noteDetailJob } from './detail';
import { putJob } from './jobs';
import { noteJobChanged } from './library';

export function subscribeToEvents(): () => void {
  const offs = [
    on('job', (job) => {
      putJob(job);
      noteJob(job);
      noteJobChanged(job);
      noteDetailJob(job);
    }),
    on('download', noteDownload),
    on('queue', noteQueue),
    onConnectionChange(noteConnection),
  ];
  return () => offs.forEach((off) => off());
}
