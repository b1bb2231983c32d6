import { useId } from 'preact/hooks';
import { FieldMessages, fieldMessageIds, type TextFieldProps } from './FieldMessages';

type Props = TextFieldProps;

/** A labelled one-line text input (names, tags), with its error announced and linked like NumberField. */
export function TextField({ label, value, onInput, error, hint, name }: Props) {
  const id = useId();
  const { describedBy } = fieldMessageIds(id, hint, error);
  return (
    <div class={`field field--wide${error ? ' field--invalid' : ''}`}>
      <label for={id}>{label}</label>
      <div class="field__control">
        <input
          id={id}
          name={name}
          type="text"
          autoComplete="off"
          spellcheck={false}
          value={value}
          aria-invalid={error ? 'true' : 'false'}
          aria-describedby={describedBy}
          onInput={(e) => onInput((e.currentTarget as HTMLInputElement).value)}
        />
      </div>
      <FieldMessages id={id} hint={hint} error={error} />
    </div>
  );
}
