/**
 * What the fit calculator shows once the engine has answered: the verdict, a bar per device and one for RAM, the
 * inverse answers (largest context, GPUs needed), the placement, the speed bound and the command to paste.
 * Pure rendering of a FitResultView (src/components/calculators/fit/fit.view.ts); no engine code here.
 */
import { StackedBar, type BarSegment } from '../../charts/StackedBar';
import { CopyCommand } from '../../ui/CopyCommand';
import { formatAuto } from '../../../sizing/units';
import type { FitResultView, RowView } from './fit.view';

export const gib = (b: number) => formatAuto(b, 'GiB');
export const tokens = (n: number) => `${n.toLocaleString('en-US')} tokens`;

export const VERDICT_WORDS: Record<FitResultView['verdict'], string> = {
  fits: 'Fits',
  'fits-with-offload': 'Fits with CPU offload',
  'does-not-fit': 'Does not fit',
};

export function rowSegments(r: RowView): BarSegment[] {
  const list: BarSegment[] = [
    { label: 'Weights', value: r.weights, tone: 'weights' },
    { label: 'KV cache', value: r.kv, tone: 'kv' },
    { label: 'Compute buffer', value: r.compute, tone: 'compute' },
    { label: 'CUDA context', value: r.overhead, tone: 'overhead' },
  ];
  if (r.free !== null && r.free > 0) list.push({ label: 'Free', value: r.free, tone: 'free' });
  return list;
}

function rowSummary(r: RowView, isRam: boolean): string {
  const where = isRam ? (r.layers > 0 ? `${r.layers} blocks` : '') : `${r.layers} blocks${r.holdsOutput ? ' + output layer' : ''}`;
  const experts = r.expertLayers > 0 ? `experts of ${r.expertLayers} blocks` : '';
  const placed = [where, experts].filter(Boolean).join(', ');
  const budget = r.budget === null ? 'size not given' : `of ${gib(r.budget)}`;
  const margin = r.margin > 0 ? `, margin ${gib(r.margin)}` : '';
  const over = r.free !== null && r.free < r.margin ? ` — over by ${gib(r.margin - r.free)}` : '';
  return `${placed ? `${placed}: ` : ''}uses ${gib(r.used)} ${budget}${margin}${over}`;
}

/** Bars for the accelerators (one scale) and for RAM (its own). */
export function MemoryBars({ r }: { r: FitResultView }) {
  const gpuScale = Math.max(0, ...r.devices.map((d) => Math.max(d.used, d.budget ?? 0)));
  return (
    <div class="fit__bars" data-testid="fit-bars">
      {r.devices.map((d, i) => (
        <StackedBar
          key={`${d.name}-${i}`}
          label={r.devices.length > 1 ? `GPU ${i}: ${d.name}` : d.name}
          summary={rowSummary(d, false)}
          segments={rowSegments(d)}
          format={gib}
          scale={gpuScale}
          capacity={d.budget ?? undefined}
          capacityLabel={r.unified ? 'GPU working set' : r.runtime === 'vllm' ? 'gpu_memory_utilization cap' : 'GPU memory'}
        />
      ))}
      <StackedBar
        label={r.unified ? 'Unified memory left to the system' : 'System RAM'}
        summary={rowSummary(r.ram, true)}
        segments={rowSegments(r.ram)}
        format={gib}
        {...(r.ram.budget === null ? {} : { capacity: r.ram.budget })}
        capacityLabel="RAM"
      />
    </div>
  );
}

function speedText(s: FitResultView['speed']): string {
  if ('error' in s) return s.error;
  return `at most ${s.upperBound.toFixed(1)} tokens/s (upper bound); llama.cpp reaches ${s.expectedLow.toFixed(1)}–${s.expectedHigh.toFixed(1)} tokens/s on measured hardware`;
}

export function FitFacts({ r }: { r: FitResultView }) {
  const allOn = r.runtime === 'vllm' ? 'Largest context' : r.devices.length === 0 ? 'Largest context in RAM' : 'Largest context, all on GPU';
  return (
    <dl class="fit__facts" data-testid="fit-facts">
      {r.maxCtx ? (
        <>
          <dt>{allOn}</dt>
          <dd data-testid="fit-maxctx">
            {r.maxCtx.ctx > 0 ? <strong>{tokens(r.maxCtx.ctx)}</strong> : <strong>none</strong>}
            <span class="calc__detail"> {r.maxCtx.explanation}</span>
          </dd>
        </>
      ) : null}
      {r.maxCtxOffload && r.maxCtxOffload.ctx !== r.maxCtx?.ctx ? (
        <>
          <dt>Largest context with CPU offload</dt>
          <dd data-testid="fit-maxctx-offload">
            {r.maxCtxOffload.ctx > 0 ? <strong>{tokens(r.maxCtxOffload.ctx)}</strong> : <strong>none</strong>}
            <span class="calc__detail"> {r.maxCtxOffload.explanation}</span>
          </dd>
        </>
      ) : null}
      {r.ctx > r.modelMaxContext ? (
        <>
          <dt>Note</dt>
          <dd>The model was trained for {tokens(r.modelMaxContext)}; longer contexts cost memory but the model may not use them well.</dd>
        </>
      ) : null}
      {r.gpusNeeded ? (
        <>
          <dt>GPUs needed, all on GPU</dt>
          <dd data-testid="fit-gpus-needed">
            <strong>{r.gpusNeeded.count === null ? 'more than 16' : `${r.gpusNeeded.count} × ${r.gpusNeeded.device}`}</strong>
            {r.gpusNeeded.count !== 1 && r.gpusNeeded.explanation ? <span class="calc__detail"> {r.gpusNeeded.explanation}</span> : null}
          </dd>
        </>
      ) : null}
      {r.llamaCpp ? (
        <>
          <dt>Layers on the GPUs</dt>
          <dd data-testid="fit-layers">
            <code>-ngl {r.llamaCpp.ngl}</code> of {r.llamaCpp.nLayer + 1} (blocks + output layer)
            {r.llamaCpp.tensorSplit.length > 1 ? (
              <>
                , <code>--tensor-split {r.llamaCpp.tensorSplit.join(',')}</code>
              </>
            ) : null}
            {r.llamaCpp.nCpuMoe > 0 ? (
              <>
                ; experts of the first {r.llamaCpp.nCpuMoe} blocks in RAM: <code>--n-cpu-moe {r.llamaCpp.nCpuMoe}</code>
              </>
            ) : null}
            {r.ram.layers > 0 ? `; ${r.ram.layers} blocks run from RAM` : ''}
          </dd>
        </>
      ) : null}
      {r.vllm ? (
        <>
          <dt>vLLM</dt>
          <dd data-testid="fit-vllm">
            Tensor parallel <code>-tp {r.vllm.tp}</code>, {r.vllm.kvHeadsPerGpu} KV heads per GPU;{' '}
            {r.vllm.starts
              ? `KV pool of ${r.vllm.kvCacheTokens.toLocaleString('en-US')} tokens, maximum concurrency ${r.vllm.maxConcurrency.toFixed(2)} requests of ${tokens(r.ctx)}.`
              : `vLLM would refuse to start: “${r.vllm.message ?? ''}”${r.vllm.estimatedMaxModelLen ? ` (largest --max-model-len that starts: ${r.vllm.estimatedMaxModelLen.toLocaleString('en-US')})` : ''}`}
          </dd>
          <dt>vLLM start-up, per GPU</dt>
          <dd data-testid="fit-vllm-startup">
            Budget {r.vllm.utilization} × {gibText(r.vllm.cudaTotalBytes)}
            {r.vllm.cudaTotalEstimated ? ' (the total CUDA reports, estimated as the card’s memory less 0.45 GiB)' : ' (the total CUDA reports for this GPU in public logs)'}
            ; “Model loading took” {gibText(r.vllm.weightsBytes)}; activation peak about {gibText(r.vllm.activationBytes)}
            {r.vllm.cudaGraphSubtracted ? `; CUDA graphs about ${gibText(r.vllm.cudaGraphBytes)}` : ''}; “Available KV cache memory” {gibText(r.vllm.availableKvBytes)}.
          </dd>
        </>
      ) : null}
      <dt>Decode speed</dt>
      <dd data-testid="fit-speed">{speedText(r.speed)}</dd>
    </dl>
  );
}

/** vLLM prints GiB (2^30 bytes) with two decimals. */
const gibText = (b: number) => `${(b / 2 ** 30).toFixed(2)} GiB`;

const COMMAND_LABEL = { 'llama-server': 'llama-server command', ollama: 'Ollama commands', vllm: 'vllm serve command', none: '' } as const;

export function FitCommand({ r }: { r: FitResultView }) {
  return (
    <div class="fit__command">
      <h3 class="fit__subhead">Launch command</h3>
      {r.command.kind === 'none' ? (
        <p class="calc__note" data-testid="launch-none">
          {r.command.note}
        </p>
      ) : (
        <>
          <CopyCommand key={r.command.text} text={r.command.text} label={COMMAND_LABEL[r.command.kind]} />
          <p class="calc__note">{r.command.note}</p>
        </>
      )}
    </div>
  );
}

export function FitNotes({ r }: { r: FitResultView }) {
  return (
    <details class="calc__details">
      <summary>Assumptions and versions</summary>
      <ul class="calc__notes">
        {r.notes.map((n) => (
          <li key={n}>{n}</li>
        ))}
        {'error' in r.speed ? null : <li>Speed: {r.speed.source}.</li>}
      </ul>
    </details>
  );
}
