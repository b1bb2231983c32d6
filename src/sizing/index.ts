/** The public API of the sizing engine. Pages, islands and the CLI import from here only. */
export * from './units.js';
export * from './napkin.js';
export * from './input.js';
export { SizingError } from './errors.js';
export type * from './types.js';
