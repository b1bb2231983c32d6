/**
 * The one error type the sizing engine throws for bad input.
 * `field` names the input at fault (a config key, a CLI flag, a calculator field) so a shell can show the
 * message next to it.
 */
export class SizingError extends Error {
  override readonly name = 'SizingError';
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}
