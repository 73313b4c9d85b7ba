// Builds the IPC mock (e2e/mock/ipc-mock.ts) into one script the end-to-end tests inject
// into the page before the window's own code. The window's dist/ never contains it.
import { defineConfig } from 'vite';

export default defineConfig({
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: 'e2e/.mock',
    emptyOutDir: true,
    minify: false,
    lib: {
      entry: 'e2e/mock/ipc-mock.ts',
      formats: ['iife'],
      name: 'CouperMock',
      fileName: () => 'ipc-mock.js',
    },
  },
});
