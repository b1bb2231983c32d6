import type { ComponentChildren } from 'preact';

interface Props {
  /** data-testid of the table (the browser tests find it by this). */
  testId: string;
  caption: ComponentChildren;
  /** Column headings, left to right. */
  columns: readonly string[];
  /** The body's rows (<tr> elements; the first cell of each is normally a row header). */
  children: ComponentChildren;
}

/** A calculator's detail table: a caption, one row of column headings, and the rows given. */
export function ResultTable({ testId, caption, columns, children }: Props) {
  return (
    <table class="calc__table" data-testid={testId}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          {columns.map((c) => (
            <th scope="col" key={c}>
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}
