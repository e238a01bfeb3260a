/** Images from anywhere: imported files, the S3-compatible image host, and where each image is sent from. */
export * from './host';
export * from './inputs';
export * from './s3';
export * from './sigv4';
export * from './sources';
export * from './mask';
