/**
 * The fields most calculators share, so that "Model", "Context" and "Concurrent sequences" look, read and validate
 * the same on every page: each is a SelectField or NumberField with the label, suffix and input mode fixed.
 */
import type { Parsed } from '../../sizing/input';
import type { CompactModel } from '../calculators/common/compact-catalog';
import { modelGroups } from '../calculators/common/compact-catalog';
import { NumberField } from './NumberField';
import { SelectField } from './SelectField';

/** The message a parsed field shows: null when the value is usable. */
export function fieldError(parsed: Parsed<unknown>): string | null {
  return parsed.ok ? null : parsed.message;
}

interface ModelSelectProps {
  value: string;
  models: readonly CompactModel[];
  onChange: (value: string) => void;
  error: string | null;
}

/** The catalog's models, grouped by family. */
export function ModelSelect({ value, models, onChange, error }: ModelSelectProps) {
  return <SelectField label="Model" name="model" value={value} options={modelGroups(models)} onChange={onChange} error={error} />;
}

interface CountFieldProps {
  value: string;
  onInput: (value: string) => void;
  error: string | null;
  hint?: string;
  label?: string;
  name?: string;
  /** Values that look like bad input but are valid here (see NumberField). */
  accepts?: ('zero' | 'empty')[];
}

/** A number of tokens (context, sequence length, tokens already cached). */
export function TokensField({ value, onInput, error, hint, label = 'Context', name = 'ctx', accepts }: CountFieldProps) {
  return <NumberField label={label} name={name} value={value} onInput={onInput} error={error} hint={hint} suffix="tokens" inputMode="numeric" accepts={accepts} />;
}

/** Sequences served at once. */
export function SequencesField({ value, onInput, error, hint, label = 'Concurrent sequences', name = 'seqs' }: CountFieldProps) {
  return <NumberField label={label} name={name} value={value} onInput={onInput} error={error} hint={hint} inputMode="numeric" />;
}
