import { useId } from 'preact/hooks';
import { FieldMessages, fieldMessageIds, type TextFieldProps } from './FieldMessages';

interface Props extends TextFieldProps {
  suffix?: string;
  inputMode?: 'decimal' | 'numeric';
  /** Values that look like bad input but are valid here, e.g. ['zero'] for a margin; declared for the quality gate. */
  accepts?: ('zero' | 'empty')[];
}

/** A labelled text input for numbers, with its error announced and linked by aria-describedby. */
export function NumberField({ label, value, onInput, error, hint, suffix, inputMode = 'decimal', name, accepts }: Props) {
  const id = useId();
  const { describedBy } = fieldMessageIds(id, hint, error);
  return (
    <div class={`field${error ? ' field--invalid' : ''}`}>
      <label for={id}>{label}</label>
      <div class="field__control">
        <input
          id={id}
          name={name}
          type="text"
          inputMode={inputMode}
          autoComplete="off"
          spellcheck={false}
          value={value}
          aria-invalid={error ? 'true' : 'false'}
          aria-describedby={describedBy}
          data-accepts={accepts?.join(' ')}
          onInput={(e) => onInput((e.currentTarget as HTMLInputElement).value)}
        />
        {suffix ? <span class="field__suffix">{suffix}</span> : null}
      </div>
      <FieldMessages id={id} hint={hint} error={error} />
    </div>
  );
}
