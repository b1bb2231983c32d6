/** Where the reader's saved hardware lives in localStorage (saved-hardware.ts), in a module of its own so that the
 * hydration directive (client-interaction.ts) can check for it without loading the validation code. */
export const STORAGE_KEY = 'llm-memory-guide:hardware';
