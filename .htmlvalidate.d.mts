// Types for .htmlvalidate.mjs, so the strict type-check accepts test/e2e/html-valid.test.ts importing it.
import type { ConfigData } from 'html-validate';
declare const config: ConfigData;
export default config;
