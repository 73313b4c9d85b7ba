// Svelte 5 with runes; TypeScript in components is stripped by the Svelte compiler itself.
export default {
  compilerOptions: { runes: true },
};
