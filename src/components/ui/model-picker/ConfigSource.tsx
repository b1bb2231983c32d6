import { useEffect, useMemo, useState } from 'preact/hooks';
import { TextAreaField } from '../TextAreaField';
import { decodeConfigFromUrl, encodeConfigForUrl, parseConfigText, type ConfigResult } from '../../../sources/config-input';
import { detectQuantization } from '../../../sources/hf-quantization';
import { paramCounts } from '../../../sizing/model/params';
import { tensorsOf } from '../../../sizing/model/tensors';
import { formatCount } from '../../../sizing/units';
import type { SourceReport } from './types';

interface Props {
  /** The `config=` value of a shared link, if any. */
  initialCompact: string;
  onReport: (r: SourceReport) => void;
}

/** The textarea's first text: the link's config pretty-printed, or empty with the link's error to show. */
function fromLink(compact: string): { text: string; linkError: string | null } {
  if (!compact) return { text: '', linkError: null };
  const decoded = decodeConfigFromUrl(compact);
  if (decoded.ok) return { text: JSON.stringify(decoded.config, null, 2), linkError: null };
  return { text: '', linkError: decoded.message };
}

function report(result: ConfigResult): SourceReport {
  if (!result.ok) return { picked: null, url: {} };
  const quant = detectQuantization(result.config);
  return {
    picked: {
      mode: 'config',
      label: `pasted config.json (${result.shape.hfArchitecture})`,
      source: { kind: 'config', config: result.config },
      contextLength: result.shape.maxContext,
      ...(quant?.formatId ? { suggestedQuant: quant.formatId } : {}),
    },
    url: { config: encodeConfigForUrl(result.config) },
  };
}

/** A pasted config.json, validated as it is typed; the link carries it in compact form. */
export function ConfigSource({ initialCompact, onReport }: Props) {
  const [first] = useState(() => fromLink(initialCompact));
  const [text, setText] = useState(first.text);
  const [edited, setEdited] = useState(false);
  const result = useMemo(() => parseConfigText(text), [text]);
  useEffect(() => onReport(report(result)), [result]); // eslint-disable-line react-hooks/exhaustive-deps

  // An empty box is not an error until the person has typed; a broken link is one at once.
  const error = !edited && first.linkError ? first.linkError : !result.ok && text.trim() !== '' ? result.message : null;
  const params = result.ok ? paramCounts(tensorsOf(result.shape), result.shape) : null;
  return (
    <div class="picker__config">
      <TextAreaField
        label="config.json"
        name="config"
        rows={8}
        value={text}
        onInput={(v) => {
          setEdited(true);
          setText(v);
        }}
        error={error}
        hint="Paste the model's config.json (from its Hugging Face page, Files tab). It is checked as you type and stays in this browser; the link keeps only the keys sizing reads."
      />
      <p class="picker__status" role="status" aria-live="polite" data-testid="config-status">
        {result.ok && params
          ? `Read ${result.shape.hfArchitecture}: ${result.shape.layers.length} layers, ${formatCount(params.total)} parameters${params.active < params.total ? ` (${formatCount(params.active)} active)` : ''}.`
          : ''}
      </p>
    </div>
  );
}
