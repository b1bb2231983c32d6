import type { ComponentChildren } from 'preact';
import { useUrlState } from '../../ui/url-state';
import { useLazyEngine } from '../../ui/use-lazy-engine';
import { ComputingNote } from '../../ui/ComputingNote';
import { TextField } from '../../ui/TextField';
import type { ParsedName } from '../../../sizing/names/parse';
import { formatAuto, formatCount } from '../../../sizing/units';
import type { NameDecoding, NameInput } from './name-decoder.view';

interface Props {
  /** Query-string prefix. */
  id?: string;
  /** The default name; must be the one `initial` was computed for. */
  name?: string;
  /** Slugs of the glossary entries that exist (content/glossary), so links are made only to real pages. */
  glossary?: string[];
  /** The default name's decoding, computed at build time (nameDecoderProps in name-decoder-engine.ts). */
  initial: { input: NameInput; result: NameDecoding };
}

// The parser, the catalog and the engine are fetched on the first change; see use-lazy-engine.ts.
const loadEngine = () => import('./name-decoder.view');

const SOURCE: Record<ParsedName['source'], string> = {
  ollama: 'Ollama tag',
  gguf: 'GGUF file name',
  huggingface: 'Hugging Face repository',
  unknown: 'Plain model name',
};

const VARIANT: Record<string, string> = {
  base: 'base model: pretrained only, continues text',
  instruct: 'instruct (also "it", "chat"): tuned to follow instructions; same size as the base model',
  chat: 'chat: tuned for dialogue; same size as the base model',
  reasoning: 'reasoning: tuned to think before answering',
  coder: 'code model',
  vision: 'vision-language model: has an image encoder',
  embedding: 'embedding model',
  'vision-projector': 'vision projector (mmproj): the image encoder only, not a language model',
};

/** The glossary page for a quantization id, if one exists: q4_K_M -> q4-k-m, gptq-int4 -> gptq, bnb-nf4 -> nf4. */
function glossarySlug(id: string, slugs: readonly string[]): string | undefined {
  const slug = id.toLowerCase().replace(/_/g, '-');
  const candidates = [slug, slug.replace(/^bnb-/, ''), slug.split('-')[0] ?? ''];
  return candidates.find((c) => c !== '' && slugs.includes(c));
}

function Row({ term, children, testid }: { term: string; children: ComponentChildren; testid?: string }) {
  return (
    <>
      <dt>{term}</dt>
      <dd data-testid={testid}>{children}</dd>
    </>
  );
}

/** One line for the live region: what kind of name, which model, which quantization, and the weights if sized. */
function summary({ parsed, sizing }: NameDecoding): string {
  const model = [parsed.family ? `${parsed.family}${parsed.version ? ` ${parsed.version}` : ''}` : '', parsed.params ? parsed.params.text : '']
    .filter((x) => x !== '')
    .join(' ');
  const parts = [model, parsed.quantization ? parsed.quantization.id : 'no quantization named'].filter((x) => x !== '');
  const size = !sizing
    ? 'not in the catalog, so not sized'
    : sizing.weightsBytes !== undefined
      ? `${sizing.modelName}, weights ${formatAuto(sizing.weightsBytes, 'GB')}`
      : `matches ${sizing.modelName}, not sized`;
  return `${SOURCE[parsed.source]}: ${parts.join(', ')}; ${size}.`;
}

/** Paste a model name; see its parts decoded, unknown parts flagged, and its weights sized when it is in the catalog. */
export default function NameDecoder({ id = 'nd', name = 'llama3.1:8b-instruct-q4_K_M', glossary = [], initial }: Props) {
  const [state, set] = useUrlState({ name }, id ? `${id}.` : '');
  const text = state.name;
  const trimmed = text.trim();
  const engine = useLazyEngine(loadEngine, trimmed === '' ? null : { name: trimmed }, initial);
  const decoded = engine.result;
  const recognised = decoded !== null && decoded.recognised;
  const error =
    engine.error ??
    (trimmed === ''
      ? 'Model name: enter an Ollama tag, a GGUF file name or a Hugging Face repository.'
      : decoded === null || recognised || engine.loading
        ? null
        : `Model name: nothing in “${trimmed.length > 40 ? `${trimmed.slice(0, 40)}…` : trimmed}” was recognized as a family, size or quantization.`);

  const parsed = recognised ? decoded.parsed : null;
  const sized = recognised ? decoded.sizing : null;
  const q = parsed?.quantization;
  const qSlug = q ? glossarySlug(q.id, glossary) : undefined;
  const p = parsed?.params;

  return (
    <form class="calc name-decoder" aria-label="Model name decoder" onSubmit={(e) => e.preventDefault()}>
      <div class="calc__fields">
        <TextField
          label="Model name"
          name="name"
          value={text}
          onInput={(v) => set('name', v)}
          error={error}
          hint="For example qwen3:30b-a3b-q8_0, Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf or Qwen/Qwen2.5-7B-Instruct-AWQ."
        />
      </div>
      <div class="calc__result">
        {/* Only phrasing content may go in <output>: the live region announces this one-line summary; the parts follow it. */}
        <output class="name-decoder__summary" aria-live="polite" aria-atomic="true" aria-busy={engine.loading ? 'true' : 'false'} data-testid="nd-summary">
          {engine.loading ? <ComputingNote /> : null}
          {!parsed || !decoded ? <span class="calc__placeholder">Enter a name to decode it.</span> : summary(decoded)}
        </output>
        {!parsed ? null : (
          <>
            <dl class="name-decoder__parts" data-testid="name-parts">
              <Row term="Kind of name" testid="nd-source">
                {SOURCE[parsed.source]}
              </Row>
              {parsed.publisher ? <Row term="Publisher">{parsed.publisher}</Row> : null}
              {parsed.family ? (
                <Row term="Family" testid="nd-family">
                  {parsed.family}
                  {parsed.series ? ` (${parsed.series})` : ''}
                  {parsed.version ? `, version ${parsed.version}` : ''}
                </Row>
              ) : null}
              {p ? (
                <Row term="Parameters" testid="nd-params">
                  {p.experts
                    ? `${p.experts.count} experts of a ${formatCount(p.experts.each)}-class model (the total is not ${p.experts.count} × ${formatCount(p.experts.each)})`
                    : p.total !== undefined
                      ? `${formatCount(p.total)} in total`
                      : ''}
                  {p.active !== undefined ? `, ${formatCount(p.active)} active per token (mixture of experts)` : ''}
                  {` (“${p.text}”)`}
                </Row>
              ) : null}
              {parsed.sizeClass ? <Row term="Size word">{parsed.sizeClass}</Row> : null}
              {parsed.variant ? (
                <Row term="Variant" testid="nd-variant">
                  {VARIANT[parsed.variant] ?? parsed.variant}
                </Row>
              ) : null}
              {parsed.fineTune ? <Row term="Fine-tune">{parsed.fineTune}</Row> : null}
              {q ? (
                <Row term="Quantization" testid="nd-quant">
                  {qSlug ? <a href={`/glossary/${qSlug}/`}>{q.id}</a> : q.id} (written “{q.text}”
                  {q.bits !== undefined ? `; ${q.bits} bits nominal, the file averages more` : ''}
                  {q.recipe ? `; recipe ${q.recipe}` : ''}
                  {q.thirdPartyRecipe ? `; ${q.thirdPartyRecipe}, not a llama.cpp recipe` : ''})
                </Row>
              ) : (
                <Row term="Quantization">none named{parsed.source === 'ollama' ? ' (Ollama’s default tag is a 4-bit file)' : ''}</Row>
              )}
              {parsed.imatrix ? (
                <Row term="Importance matrix" testid="nd-imatrix">
                  yes: made with an <a href="/glossary/imatrix/">imatrix</a> (same size, better rounding)
                </Row>
              ) : null}
              {parsed.split ? (
                <Row term="Split file" testid="nd-split">
                  part {parsed.split.part} of {parsed.split.of}: download all {parsed.split.of}
                </Row>
              ) : null}
              {parsed.context ? <Row term="Context in name">{parsed.context}</Row> : null}
              {parsed.date ? <Row term="Date code">{parsed.date}</Row> : null}
              {parsed.ollama ? (
                <Row term="Ollama tag">
                  {parsed.ollama.tag}
                  {parsed.ollama.implicitTag ? ' (none written: Ollama uses “latest”)' : ''}
                </Row>
              ) : null}
              {parsed.unknownParts.length ? (
                <Row term="Not recognized" testid="nd-unknown">
                  {parsed.unknownParts.map((u, i) => (
                    <span class="flag" key={i}>
                      {i ? ', ' : ''}“{u}”
                    </span>
                  ))}{' '}
                  (left undecoded, not guessed)
                </Row>
              ) : null}
            </dl>
            {parsed.notes.length ? (
              <ul class="calc__detail">
                {parsed.notes.map((n, i) => (
                  <li key={i}>{n}</li>
                ))}
              </ul>
            ) : null}
            <p class="calc__detail" data-testid="nd-size">
              {!sized ? (
                'Not in this guide’s model catalog, so not sized.'
              ) : sized.weightsBytes !== undefined ? (
                <>
                  {sized.modelName} at {sized.quant}: weights <strong data-testid="nd-weights">{formatAuto(sized.weightsBytes, 'GB')}</strong> (
                  {formatAuto(sized.weightsBytes, 'GiB')}), {(sized.bitsPerWeight ?? 0).toFixed(2)} bits per weight on average. KV cache and
                  runtime buffers come on top.
                </>
              ) : (
                <>
                  Matches {sized.modelName}. {sized.notSized}
                </>
              )}
            </p>
          </>
        )}
      </div>
    </form>
  );
}
