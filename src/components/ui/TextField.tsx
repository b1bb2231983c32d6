import { useId } from 'preact/hooks';

interface Props {
  label: string;
  value: string;
  onInput: (value: string) => void;
  /** Message shown beside the field when the value is not usable; null when it is. */
  error: string | null;
  hint?: string;
  name?: string;
}

/** A labelled one-line text input (names, tags), with its error announced and linked like NumberField. */
export function TextField({ label, value, onInput, error, hint, name }: Props) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
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
      {hint ? (
        <p class="field__hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      <p class="field__error" id={errorId} role="alert" hidden={!error}>
        {error ?? ''}
      </p>
    </div>
  );
}
