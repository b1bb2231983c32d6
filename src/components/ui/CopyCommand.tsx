import { useId, useRef, useState } from 'preact/hooks';

interface Props {
  /** The command, one or more shell lines. */
  text: string;
  /** Accessible name of the code block, e.g. "llama-server command". */
  label: string;
}

/**
 * A command to paste, with a Copy button. Uses navigator.clipboard; where it is missing or refused (plain http,
 * permissions), the command is selected instead and the status line says to press Ctrl+C.
 */
export function CopyCommand({ text, label }: Props) {
  const [status, setStatus] = useState('');
  const code = useRef<HTMLElement>(null);
  const id = useId();

  const selectText = () => {
    const el = code.current;
    const sel = window.getSelection();
    if (!el || !sel) return;
    const range = document.createRange();
    range.selectNodeContents(el);
    sel.removeAllRanges();
    sel.addRange(range);
  };

  const copy = async () => {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(text);
      setStatus('Copied to the clipboard.');
    } catch {
      selectText();
      setStatus('Could not copy automatically: the command is selected, press Ctrl+C (⌘C on a Mac).');
    }
  };

  return (
    <div class="copycmd">
      <pre class="copycmd__pre" aria-labelledby={`${id}-label`} tabIndex={0}>
        <code ref={code} data-testid="launch-command">
          {text}
        </code>
      </pre>
      <div class="copycmd__bar">
        <span id={`${id}-label`} class="copycmd__label">
          {label}
        </span>
        <button type="button" class="calc__button" onClick={copy} data-testid="copy-command">
          Copy
        </button>
        <span class="copycmd__status" role="status" data-testid="copy-status">
          {status}
        </span>
      </div>
    </div>
  );
}
