/** The SQLite library: jobs, outputs, lineage, tags, settings and full-text search over them. */
export { Library, openLibrary } from './library';
export type {
  JobPatch,
  LibraryStats,
  NewJob,
  OpenLibraryOptions,
  OutputPatch,
  RebuildResult,
} from './library';
export { ARCHIVE_STATES } from './rows';
export type {
  ArchiveState,
  AvailableActions,
  JobRequest,
  JobRow,
  LineageEdge,
  LineageStep,
  OutputRow,
  OutputToArchive,
} from './rows';
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, listQuerySchema } from './query';
export type { ListQuery, SortOrder } from './query';
export {
  DB_FILE,
  MEDIA_DIR,
  THUMBS_DIR,
  mediaDirFor,
  outputFileName,
  outputPathFor,
  sidecarPathFor,
  thumbPathFor,
} from './paths';
export { MIGRATIONS } from './migrations';
export type { Migration } from './migrations';
