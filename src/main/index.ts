/**
 * The Electron main process entry: everything happens in `startApp` (src/main/shell/app.ts), over the
 * core in src/main/core.
 */
import { builtAppPaths, startApp } from './shell/app';

startApp(builtAppPaths()).catch((err: unknown) => {
  console.error('genvault: the app could not start:', err);
  process.exit(1);
});
