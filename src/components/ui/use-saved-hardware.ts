import { useEffect, useState } from 'preact/hooks';
import { readSavedHardware, subscribeSavedHardware, type SavedHardware } from './saved-hardware';

/**
 * The reader's saved hardware (ui/saved-hardware.ts), following saves and forgets on this page and in other tabs.
 * undefined until mounted: the server-rendered HTML knows nothing of this browser's storage, and hydration must match it.
 */
export function useSavedHardware(): SavedHardware | null | undefined {
  const [saved, setSaved] = useState<SavedHardware | null | undefined>(undefined);
  useEffect(() => {
    const read = () => setSaved(readSavedHardware());
    read();
    return subscribeSavedHardware(read);
  }, []);
  return saved;
}
