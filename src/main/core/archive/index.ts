/** The archiver: verified downloads of CDN outputs, thumbnails and posters, and the download pool. */
export { downloadVerified, type ArchiveTarget, type ArchivedFile, type DownloadOptions } from './download';
export { makeThumbnail, videoPoster, type ThumbnailOptions, type VideoPosterOptions } from './thumbnail';
export { PriorityPool, type PoolTask, type PriorityPoolOptions } from './pool';
export { removeStrayTempFiles } from './atomic';
export { probeImage, probeVideo, type ImageFacts, type VideoFacts } from './media';
export { ArchiveContentError, ArchiveWriteError, CdnGoneError, MediaDecodeError } from './errors';
