import { checkpointCheck } from '../../../sources/checkpoint-check';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { fetchModelFiles, parseHfId, type HfError, type HfModelFiles } from '../../../sources/hf-hub';
import { paramCounts } from '../../../sizing/model/params';
import { tensorsOf } from '../../../sizing/model/tensors';
import { formatAuto, formatCount } from '../../../sizing/units';
import type { SourceReport } from './types';

export interface HubOptions {
  /** Only for tests: a stand-in for https://huggingface.co (see hubBaseOverride in src/sources/hf-hub.ts). */
  baseUrl?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

interface Props {
  initialId: string;
  /** Fetch initialId on mount (the id came from a shared link). */
  fetchOnMount: boolean;
  hub: HubOptions;
  onReport: (r: SourceReport) => void;
}

type HubState =
  | { status: 'idle' }
  | { status: 'loading'; id: string }
  | { status: 'done'; files: HfModelFiles }
  | { status: 'error'; id: string | null; error: HfError };

function report(state: HubState): SourceReport {
  if (state.status === 'idle') return { picked: null, url: {} };
  if (state.status === 'loading') return { picked: null, url: { hf: state.id } };
  if (state.status === 'error') return { picked: null, url: state.id ? { hf: state.id } : {} };
  const { files } = state;
  if (!files.config) return { picked: null, url: { hf: files.id } };
  return {
    picked: {
      mode: 'hf',
      label: files.id,
      source: { kind: 'config', config: files.config },
      ...(files.shape ? { contextLength: files.shape.maxContext } : {}),
      ...(files.quantizationConfig?.formatId ? { suggestedQuant: files.quantizationConfig.formatId } : {}),
      hub: files,
    },
    url: { hf: files.id },
  };
}

/** Parameters: the Hub's own count (every tensor in the safetensors files) when given, else the engine's count. */
function paramsLine(files: HfModelFiles): string {
  const hub = files.safetensorsIndex?.parameterCount;
  if (hub !== undefined) return `${formatCount(hub)} (the Hub's count of the safetensors files)`;
  if (!files.shape) return 'not known';
  const p = paramCounts(tensorsOf(files.shape), files.shape);
  return `${formatCount(p.total)}${p.active < p.total ? `, ${formatCount(p.active)} active per token` : ''} (from config.json)`;
}

function dtypeLine(files: HfModelFiles): string {
  const dtypes = files.safetensorsIndex?.dtypes;
  if (dtypes) return Object.entries(dtypes).map(([k, n]) => `${k} ${formatCount(n)}`).join(', ');
  const t = files.config?.['torch_dtype'] ?? files.config?.['dtype'];
  return typeof t === 'string' ? `${t} (config.json torch_dtype)` : 'not stated';
}

function HubResult({ files }: { files: HfModelFiles }) {
  const st = files.safetensorsIndex;
  const check = files.shape && st?.parameterCount !== undefined ? checkpointCheck(files.shape, st.parameterCount) : null;
  return (
    <div class="picker__result" data-testid="hub-result">
      <dl class="picker__facts">
        {files.shape ? (
          <>
            <dt>Architecture</dt>
            <dd data-testid="hub-arch">{files.shape.hfArchitecture}</dd>
            <dt>Parameters</dt>
            <dd data-testid="hub-params">{paramsLine(files)}</dd>
            {check ? (
              <>
                <dt>Engine's reading</dt>
                <dd data-testid="hub-check" class={check.flagged ? 'picker__warning' : undefined} role={check.flagged ? 'alert' : undefined}>
                  {check.message}
                </dd>
              </>
            ) : null}
            {files.shape.reading?.kind === 'generic' ? (
              <>
                <dt>Reading</dt>
                <dd data-testid="hub-generic" class="picker__warning">
                  Generic reading: {files.shape.hfArchitecture} has no reader of its own, so it is sized as a standard decoder from{' '}
                  {(files.shape.reading.keys ?? []).join(', ')}. Not exact.
                </dd>
              </>
            ) : null}
            <dt>Stored as</dt>
            <dd data-testid="hub-dtype">{dtypeLine(files)}</dd>
          </>
        ) : null}
        {st?.totalBytes !== undefined ? (
          <>
            <dt>Checkpoint</dt>
            <dd data-testid="hub-size">
              {formatAuto(st.totalBytes, 'GB')} of tensors{st.shards ? ` in ${st.shards} file${st.shards === 1 ? '' : 's'}` : ''} (model.safetensors.index.json)
            </dd>
          </>
        ) : null}
        {files.quantizationConfig ? (
          <>
            <dt>quantization_config</dt>
            <dd data-testid="hub-quant">{files.quantizationConfig.description}</dd>
          </>
        ) : null}
      </dl>
      {files.ggufFiles ? (
        <details class="picker__gguf-list" open={!files.config}>
          <summary>GGUF files in this repository ({files.ggufFiles.length})</summary>
          <ul data-testid="hub-gguf">
            {files.ggufFiles.map((g) => (
              <li key={g.files[0]}>
                <strong>{g.projector ? 'mmproj (vision encoder)' : (g.quant ?? 'unknown type')}</strong>: {g.files[0]}
                {g.files.length > 1 ? ` and ${g.files.length - 1} more part${g.files.length > 2 ? 's' : ''}` : ''}
              </li>
            ))}
          </ul>
          <p class="field__hint">To size one exactly, download it and open it under “GGUF file”: only its header is read.</p>
        </details>
      ) : null}
      {!files.config ? (
        <p class="picker__note" data-testid="hub-no-config">
          This repository holds GGUF files only (no config.json). Open one of them as a GGUF file, or fetch the original model’s repository.
        </p>
      ) : null}
    </div>
  );
}

/** A Hugging Face id, fetched on demand: config.json, the safetensors index and the Hub's file list. */
export function HubSource({ initialId, fetchOnMount, hub, onReport }: Props) {
  const inputId = useId();
  const [input, setInput] = useState(initialId);
  const [state, setState] = useState<HubState>({ status: 'idle' });
  const inFlight = useRef<AbortController | null>(null);

  useEffect(() => onReport(report(state)), [state]); // eslint-disable-line react-hooks/exhaustive-deps

  const run = async (text: string) => {
    const parsed = parseHfId(text);
    if (!parsed.ok) {
      setState({ status: 'error', id: null, error: { kind: 'invalid-id', message: parsed.message } });
      return;
    }
    inFlight.current?.abort();
    const controller = new AbortController();
    inFlight.current = controller;
    setState({ status: 'loading', id: parsed.id });
    const result = await fetchModelFiles(parsed.id, {
      signal: controller.signal,
      ...(hub.fetch ? { fetch: hub.fetch } : {}),
      ...(hub.baseUrl ? { baseUrl: hub.baseUrl } : {}),
      ...(hub.timeoutMs ? { timeoutMs: hub.timeoutMs } : {}),
    });
    if (controller.signal.aborted) return; // superseded by a newer fetch, or the picker is gone
    inFlight.current = null;
    setState(result.ok ? { status: 'done', files: result.value } : { status: 'error', id: parsed.id, error: result.error });
  };

  useEffect(() => {
    if (fetchOnMount && initialId) void run(initialId);
    return () => inFlight.current?.abort();
  }, []); // eslint-disable-line react-hooks/exhaustive-deps

  const error = state.status === 'error' ? state.error.message : null;
  return (
    <div class="picker__hub">
      <div class={`field field--wide${error ? ' field--invalid' : ''}`}>
        <label for={inputId}>Hugging Face model id</label>
        <div class="field__control">
          <input
            id={inputId}
            name="hf"
            type="text"
            autoComplete="off"
            spellcheck={false}
            placeholder="Qwen/Qwen3-8B"
            value={input}
            aria-invalid={error ? 'true' : 'false'}
            aria-describedby={`${inputId}-note${error ? ` ${inputId}-error` : ''}`}
            onInput={(e) => setInput((e.currentTarget as HTMLInputElement).value)}
            onKeyDown={(e) => {
              // The picker sits inside the calculator's <form>: Enter fetches instead of submitting it.
              if (e.key === 'Enter') {
                e.preventDefault();
                void run(input);
              }
            }}
          />
          <button type="button" class="picker__button" onClick={() => void run(input)} disabled={state.status === 'loading'}>
            Fetch
          </button>
        </div>
        <p class="field__hint" id={`${inputId}-note`}>
          Owner/name or a huggingface.co link. Fetch asks huggingface.co for config.json, the safetensors index and the file list:
          the only network request this site makes, and only when you press Fetch.
        </p>
        <p class="field__error" id={`${inputId}-error`} role="alert" hidden={!error} data-testid="hub-error">
          {error ?? ''}
        </p>
      </div>
      <p class="picker__status" role="status" aria-live="polite" data-testid="hub-status">
        {state.status === 'loading' ? `Fetching ${state.id} from huggingface.co…` : state.status === 'done' ? `Read ${state.files.id}.` : ''}
      </p>
      {state.status === 'done' ? <HubResult files={state.files} /> : null}
    </div>
  );
}
