/**
 * The visible side of "your hardware, once" (ui/saved-hardware.ts): the fit calculator's Remember / Forget controls,
 * and the note every other calculator shows when it started from the saved hardware. Both say where it is kept: this
 * browser's local storage, never sent anywhere.
 */
import { useState } from 'preact/hooks';
import { forgetSavedHardware, sameFields, writeSavedHardware, type SavedHardware } from './saved-hardware';
import { useSavedHardware } from './use-saved-hardware';

const WHERE = 'It is kept only in this browser’s local storage (localStorage) and never sent anywhere.';
const FORGOTTEN = 'Forgotten: nothing about your hardware is stored in this browser now.';
const NOT_SAVED = 'This browser did not let the page store it (storage full, blocked or private browsing); nothing was saved.';

/** In the fit calculator's Hardware group: save the fields as the reader's hardware, or forget it. */
export function RememberHardware({ current, applied }: { current: SavedHardware | null; applied: SavedHardware | null }) {
  const saved = useSavedHardware();
  const [message, setMessage] = useState('');
  const same = saved && current ? sameFields(saved.fields, current.fields) : false;
  const remember = () => {
    if (!current) return;
    setMessage(writeSavedHardware(current) ? `Saved: ${current.label}. Every calculator on this site that takes hardware now starts from it.` : NOT_SAVED);
  };
  const forget = () => {
    forgetSavedHardware();
    setMessage(FORGOTTEN);
  };
  let text: string;
  if (saved === undefined) text = `Save these GPUs, Mac or RAM once and every calculator on this site that takes hardware starts from them. ${WHERE}`;
  else if (saved && same) text = `${applied && sameFields(applied.fields, saved.fields) ? 'Started from your saved hardware' : 'This is your saved hardware'}: ${saved.label}. ${WHERE}`;
  else if (saved) text = `Your saved hardware: ${saved.label}. ${WHERE}`;
  else text = `Save these GPUs, Mac or RAM once and every calculator on this site that takes hardware starts from them. ${WHERE}`;
  return (
    <div class="saved-hw" data-testid="saved-hardware">
      <p class="calc__note saved-hw__text">{text}</p>
      <div class="saved-hw__actions">
        {!same ? (
          <button type="button" class="calc__button" onClick={remember} disabled={!current} data-testid="remember-hardware">
            {saved ? 'Remember this hardware instead' : 'Remember this hardware'}
          </button>
        ) : null}{' '}
        {saved ? (
          <button type="button" class="calc__button" onClick={forget} data-testid="forget-hardware">
            Forget my hardware
          </button>
        ) : null}
      </div>
      <p class="calc__note" role="status" data-testid="saved-hardware-status">
        {message}
      </p>
    </div>
  );
}

/** In a calculator that started from the saved hardware: says so, where it is kept, and offers to forget it. */
export function SavedHardwareNote({ applied }: { applied: SavedHardware | null }) {
  const saved = useSavedHardware();
  const [message, setMessage] = useState('');
  if (!applied) return null;
  const forget = () => {
    forgetSavedHardware();
    setMessage(`${FORGOTTEN} The fields keep their values until you change them or reload.`);
  };
  return (
    <div class="saved-hw saved-hw--note" data-testid="saved-hardware-note">
      {saved ? (
        <p class="calc__note saved-hw__text">
          Started from your saved hardware: {applied.label}. {WHERE}
        </p>
      ) : null}
      {saved ? (
        <div class="saved-hw__actions">
          <button type="button" class="calc__button" onClick={forget} data-testid="forget-hardware">
            Forget my hardware
          </button>
        </div>
      ) : null}
      <p class="calc__note" role="status" data-testid="saved-hardware-status">
        {message}
      </p>
    </div>
  );
}
