// The settings window: built to ui/dist, which the tray app (src-tauri) serves.
/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  plugins: [svelte()],
  base: './',
  clearScreen: false,
  // The catalogue (../locales) is shared with the Rust side: the dev server reads it too.
  server: { port: 5173, strictPort: true, fs: { allow: ['.', '../locales'] } },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
  },
});
