/**
 * The hint and error under a form field, shared by NumberField, TextField, TextAreaField, SelectField and
 * CheckboxGroup: the control points at them with aria-describedby (describedBy), and the error is announced.
 */

/** Ids of a field's hint and error, and the aria-describedby value for its control (undefined when neither shows). */
export function fieldMessageIds(id: string, hint: string | undefined, error: string | null): { hintId: string; errorId: string; describedBy: string | undefined } {
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  return { hintId, errorId, describedBy };
}

/** The props every text-like field takes (NumberField, TextField, TextAreaField). */
export interface TextFieldProps {
  label: string;
  value: string;
  onInput: (value: string) => void;
  /** Message shown beside the field when the value is not usable; null when it is. */
  error: string | null;
  hint?: string;
  name?: string;
}

interface Props {
  id: string;
  hint?: string | undefined;
  /** Message shown beside the field when the value is not usable; null when it is. */
  error: string | null;
}

/** The hint (when given) and the error paragraph (always present, hidden while there is no error). */
export function FieldMessages({ id, hint, error }: Props) {
  const { hintId, errorId } = fieldMessageIds(id, hint, error);
  return (
    <>
      {hint ? (
        <p class="field__hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      <p class="field__error" id={errorId} role="alert" hidden={!error}>
        {error ?? ''}
      </p>
    </>
  );
}
