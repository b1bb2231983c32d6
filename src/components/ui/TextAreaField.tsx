import { useId } from 'preact/hooks';
import { FieldMessages, fieldMessageIds, type TextFieldProps } from './FieldMessages';

interface Props extends TextFieldProps {
  rows?: number;
}

/** A labelled multi-line text input (lists of numbers, names), with its error announced and linked like NumberField. */
export function TextAreaField({ label, value, onInput, error, hint, rows = 3, name }: Props) {
  const id = useId();
  const { describedBy } = fieldMessageIds(id, hint, error);
  return (
    <div class={`field field--wide${error ? ' field--invalid' : ''}`}>
      <label for={id}>{label}</label>
      <textarea
        id={id}
        name={name}
        rows={rows}
        autoComplete="off"
        spellcheck={false}
        value={value}
        aria-invalid={error ? 'true' : 'false'}
        aria-describedby={describedBy}
        onInput={(e) => onInput((e.currentTarget as HTMLTextAreaElement).value)}
      />
      <FieldMessages id={id} hint={hint} error={error} />
    </div>
  );
}
