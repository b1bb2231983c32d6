/**
 * Turns a folder of JSON catalog entries (one entry per file, gathered by import.meta.glob) into a checked list:
 * every entry is validated by the schema, its id must match its file name, and ids are unique. A problem throws
 * with the file name, so a broken entry stops the build, the command line and the tests at once.
 */
export function loadCatalog<T extends { id: string }>(
  files: Record<string, unknown>,
  validate: (entry: unknown) => string[],
  what: string,
): T[] {
  const entries: T[] = [];
  const problems: string[] = [];
  for (const [path, entry] of Object.entries(files)) {
    const file = path.slice(path.lastIndexOf('/') + 1);
    const found = validate(entry);
    if (found.length > 0) {
      problems.push(...found.map((p) => `${file}: ${p}`));
      continue;
    }
    const id = (entry as T).id;
    if (file !== `${id}.json`) problems.push(`${file}: ${what} id '${id}' does not match its file name`);
    entries.push(entry as T);
  }
  const ids = new Set<string>();
  for (const e of entries) {
    if (ids.has(e.id)) problems.push(`${what} id '${e.id}' appears twice`);
    ids.add(e.id);
  }
  if (problems.length > 0) throw new Error(`The ${what} catalog has problems:\n${problems.join('\n')}`);
  return entries;
}
