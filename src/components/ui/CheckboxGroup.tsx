import { FieldMessages, fieldMessageIds } from './FieldMessages';

interface Props<T extends string> {
  label: string;
  values: readonly T[];
  choices: readonly { value: T; label: string; title?: string }[];
  onChange: (values: T[]) => void;
  /** Message shown under the group when the selection is not usable; null when it is. */
  error: string | null;
  hint?: string;
  /** Unique on the page: ids of the hint and error derive from it. */
  id: string;
}

/** A group of native checkboxes drawn like ChoiceField's segments; the choices keep their given order. */
export function CheckboxGroup<T extends string>({ label, values, choices, onChange, error, hint, id }: Props<T>) {
  const { describedBy } = fieldMessageIds(id, hint, error);
  const toggle = (v: T, on: boolean) => onChange(choices.map((c) => c.value).filter((c) => (c === v ? on : values.includes(c))));
  return (
    <fieldset class={`choice${error ? ' field--invalid' : ''}`} aria-describedby={describedBy}>
      <legend>{label}</legend>
      <div class="choice__options">
        {choices.map((c) => (
          <label class="choice__option" title={c.title} key={c.value}>
            <input type="checkbox" value={c.value} checked={values.includes(c.value)} onChange={(e) => toggle(c.value, (e.currentTarget as HTMLInputElement).checked)} />
            <span>{c.label}</span>
          </label>
        ))}
      </div>
      <FieldMessages id={id} hint={hint} error={error} />
    </fieldset>
  );
}
