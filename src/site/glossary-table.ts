/**
 * The glossary index: filter rows by family and sort by name or bits per weight, without a framework.
 * The server renders every row; this only hides and reorders them, so the table works without JavaScript too.
 */
export function setupGlossaryTable(): void {
  const table = document.querySelector<HTMLTableElement>('[data-glossary-table]');
  const family = document.querySelector<HTMLSelectElement>('[data-glossary-family]');
  const count = document.querySelector<HTMLElement>('[data-glossary-count]');
  const body = table?.tBodies[0];
  if (!table || !family || !count || !body) return;
  const rows = Array.from(body.rows);
  let sortKey: 'bits' | 'name' = 'bits';
  let descending = true;

  const render = () => {
    const wanted = family.value;
    const sorted = [...rows].sort((a, b) => {
      const cmp =
        sortKey === 'bits'
          ? Number(a.dataset['bits']) - Number(b.dataset['bits'])
          : (a.dataset['name'] ?? '').localeCompare(b.dataset['name'] ?? '');
      return descending ? -cmp : cmp;
    });
    let shown = 0;
    for (const row of sorted) {
      const visible = wanted === '' || row.dataset['family'] === wanted;
      row.hidden = !visible;
      if (visible) shown++;
      body.append(row);
    }
    for (const th of Array.from(table.tHead?.rows[0]?.cells ?? [])) {
      const key = th.querySelector('button')?.dataset['sort'];
      if (key) th.setAttribute('aria-sort', key === sortKey ? (descending ? 'descending' : 'ascending') : 'none');
    }
    const order = sortKey === 'bits' ? (descending ? 'most bits first' : 'fewest bits first') : descending ? 'Z to A' : 'A to Z';
    count.textContent = `${shown} entr${shown === 1 ? 'y' : 'ies'}, ${order}.`;
  };

  family.addEventListener('change', render);
  table.querySelectorAll<HTMLButtonElement>('button[data-sort]').forEach((button) => {
    button.addEventListener('click', () => {
      const key = button.dataset['sort'] === 'name' ? 'name' : 'bits';
      descending = key === sortKey ? !descending : key === 'bits';
      sortKey = key;
      render();
    });
  });
}
