/**
 * The options of a <select> as plain data: what view models compute (at build time or in the browser) and
 * SelectField renders. Here, not beside SelectField, so view models need not import a component.
 */
export interface SelectOption {
  value: string;
  label: string;
}

export interface SelectGroup {
  label: string;
  options: readonly SelectOption[];
}

/** The unit switch every calculator offers: decimal GB or binary GiB, each with where readers meet it. */
export const UNIT_CHOICES = [
  { value: 'GB', label: 'GB', title: '10⁹ bytes, as the Hugging Face Hub prints file sizes' },
  { value: 'GiB', label: 'GiB', title: '2³⁰ bytes, as llama.cpp, vLLM, PyTorch and nvidia-smi print memory' },
] as const;
