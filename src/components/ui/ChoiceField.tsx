import { useId } from 'preact/hooks';

interface Props<T extends string> {
  label: string;
  value: T;
  choices: readonly { value: T; label: string; title?: string }[];
  onChange: (value: T) => void;
}

/** A segmented radio group: native radios, so arrow keys, labels and screen readers work as expected. */
export function ChoiceField<T extends string>({ label, value, choices, onChange }: Props<T>) {
  const name = useId();
  return (
    <fieldset class="choice">
      <legend>{label}</legend>
      <div class="choice__options">
        {choices.map((c) => (
          <label class="choice__option" title={c.title} key={c.value}>
            <input
              type="radio"
              name={name}
              value={c.value}
              checked={c.value === value}
              onChange={() => onChange(c.value)}
            />
            <span>{c.label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
