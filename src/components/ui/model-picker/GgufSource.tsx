import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { readLocalGguf, type LocalGguf } from '../../../sources/gguf-file';
import { formatAuto, formatCount } from '../../../sizing/units';
import type { SourceReport } from './types';

interface Props {
  onReport: (r: SourceReport) => void;
}

type FileState = { status: 'idle' } | { status: 'reading'; name: string } | { status: 'done'; gguf: LocalGguf } | { status: 'error'; message: string };

function report(state: FileState): SourceReport {
  if (state.status !== 'done') return { picked: null, url: {} };
  const { gguf } = state;
  return {
    picked: {
      mode: 'gguf',
      label: gguf.fileName,
      source: { kind: 'typed', shape: gguf.shape, typed: gguf.typed, metadataBytes: gguf.metadataBytes },
      contextLength: gguf.shape.maxContext,
      ...(gguf.summary.fileType ? { suggestedQuant: gguf.summary.fileType } : {}),
      gguf,
    },
    // A local file cannot travel in a link.
    url: {},
  };
}

function GgufResult({ gguf }: { gguf: LocalGguf }) {
  const s = gguf.summary;
  const types = Object.entries(s.typeCounts).sort((a, b) => b[1] - a[1]);
  return (
    <dl class="picker__facts" data-testid="gguf-result">
      <dt>File</dt>
      <dd>
        {gguf.fileName}, {formatAuto(gguf.fileBytes, 'GB')} ({formatAuto(gguf.bytesRead, 'GB')} of header read; nothing uploaded)
      </dd>
      <dt>Architecture</dt>
      <dd data-testid="gguf-arch">
        {s.architecture}
        {s.name ? ` (${s.name})` : ''}
      </dd>
      <dt>File type</dt>
      <dd data-testid="gguf-filetype">{s.fileType ?? (s.fileTypeId === null ? 'not stated' : `unknown (${s.fileTypeId})`)}</dd>
      <dt>Tensors</dt>
      <dd data-testid="gguf-tensors">
        {gguf.tensorCount}: {types.map(([t, n]) => `${n} × ${t}`).join(', ')}
      </dd>
      <dt>Parameters</dt>
      <dd data-testid="gguf-params">{formatCount(s.parameterCount)}</dd>
    </dl>
  );
}

/** A local GGUF file, by file dialog or drag and drop: only its header is read (File.slice), nothing is uploaded. */
export function GgufSource({ onReport }: Props) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<FileState>({ status: 'idle' });
  const [dragging, setDragging] = useState(false);
  const generation = useRef(0);
  useEffect(() => onReport(report(state)), [state]); // eslint-disable-line react-hooks/exhaustive-deps

  const open = async (file: File | undefined) => {
    if (!file) return;
    const mine = ++generation.current;
    setState({ status: 'reading', name: file.name });
    const result = await readLocalGguf(file);
    if (mine !== generation.current) return; // a newer file was chosen meanwhile
    setState(result.ok ? { status: 'done', gguf: result.value } : { status: 'error', message: result.message });
  };

  const error = state.status === 'error' ? state.message : null;
  return (
    <div class="picker__gguf">
      <div class={`field field--wide${error ? ' field--invalid' : ''}`}>
        <label for={id}>GGUF file</label>
        <input
          ref={input}
          id={id}
          type="file"
          accept=".gguf"
          aria-describedby={`${id}-note${error ? ` ${id}-error` : ''}`}
          onChange={(e) => void open((e.currentTarget as HTMLInputElement).files?.[0])}
        />
        {/* A real button: Enter and Space open the file dialog natively; it is also where a file is dropped. */}
        <button
          type="button"
          class={`picker__drop${dragging ? ' picker__drop--over' : ''}`}
          aria-label="Drop a GGUF file here, or press Enter to choose one"
          aria-describedby={`${id}-note`}
          data-testid="gguf-drop"
          onClick={() => input.current?.click()}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(e) => {
            e.preventDefault();
            setDragging(false);
            void open(e.dataTransfer?.files[0]);
          }}
        >
          Drop a .gguf file here, or press Enter to choose one
        </button>
        <p class="field__hint" id={`${id}-note`}>
          Only the file’s header (metadata and tensor list, a few MB) is read, in this browser; nothing is uploaded. A local file
          cannot be put in the page’s link: the link keeps your other choices only.
        </p>
        <p class="field__error" id={`${id}-error`} role="alert" hidden={!error} data-testid="gguf-error">
          {error ?? ''}
        </p>
      </div>
      <p class="picker__status" role="status" aria-live="polite" data-testid="gguf-status">
        {state.status === 'reading' ? `Reading the header of ${state.name}…` : state.status === 'done' ? `Read ${state.gguf.fileName}.` : ''}
      </p>
      {state.status === 'done' ? <GgufResult gguf={state.gguf} /> : null}
    </div>
  );
}
