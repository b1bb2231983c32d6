import { useId } from 'preact/hooks';
import { FieldMessages, fieldMessageIds } from './FieldMessages';

import type { SelectGroup, SelectOption } from '../calculators/common/select-options';

export type { SelectGroup, SelectOption };

interface Props {
  label: string;
  value: string;
  /** Options, flat or in labelled groups (rendered as <optgroup>). */
  options: readonly (SelectOption | SelectGroup)[];
  onChange: (value: string) => void;
  /** Message shown beside the field when the value is not usable; null when it is. */
  error: string | null;
  hint?: string;
  name?: string;
}

const isGroup = (o: SelectOption | SelectGroup): o is SelectGroup => 'options' in o;

/**
 * A labelled native <select>, optionally grouped. A value that is not among the options (a stale or hand-edited URL)
 * is kept as a disabled first option so the field shows what was asked for, and the caller's error explains it.
 */
export function SelectField({ label, value, options, onChange, error, hint, name }: Props) {
  const id = useId();
  const { describedBy } = fieldMessageIds(id, hint, error);
  const known = options.some((o) => (isGroup(o) ? o.options.some((c) => c.value === value) : o.value === value));
  return (
    <div class={`field${error ? ' field--invalid' : ''}`}>
      <label for={id}>{label}</label>
      <div class="field__control">
        <select
          id={id}
          name={name}
          value={value}
          aria-invalid={error ? 'true' : 'false'}
          aria-describedby={describedBy}
          onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value)}
        >
          {known ? null : (
            <option value={value} disabled selected>
              {value === '' ? '(none)' : value}
            </option>
          )}
          {options.map((o) =>
            isGroup(o) ? (
              <optgroup label={o.label} key={o.label}>
                {o.options.map((c) => (
                  <option value={c.value} key={c.value} selected={c.value === value}>
                    {c.label}
                  </option>
                ))}
              </optgroup>
            ) : (
              <option value={o.value} key={o.value} selected={o.value === value}>
                {o.label}
              </option>
            ),
          )}
        </select>
      </div>
      <FieldMessages id={id} hint={hint} error={error} />
    </div>
  );
}
