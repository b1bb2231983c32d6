// fontverter ships no types; the one function the tests use.
declare module 'fontverter' {
  export function convert(buffer: Buffer, toFormat: 'sfnt' | 'woff' | 'woff2' | 'truetype', fromFormat?: string): Promise<Buffer>;
}
