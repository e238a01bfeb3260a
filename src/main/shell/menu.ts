/** The application menu: the platform's standard roles, plus a way to reach the library folder. */
import type { MenuItemConstructorOptions } from 'electron';

export function menuTemplate(opts: {
  isMac: boolean;
  openLibraryFolder: () => void;
}): MenuItemConstructorOptions[] {
  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      {
        label: 'Open Library Folder',
        accelerator: 'CmdOrCtrl+Shift+O',
        click: () => opts.openLibraryFolder(),
      },
      { type: 'separator' },
      opts.isMac ? { role: 'close' } : { role: 'quit' },
    ],
  };
  return [
    ...(opts.isMac ? [{ role: 'appMenu' } as const] : []),
    file,
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
  ];
}
