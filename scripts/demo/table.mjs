/** The demo's results table, sized to its content; colour only on a terminal without NO_COLOR. */

const COLOUR =
  process.stdout.isTTY === true && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
const paint = (code, text) => (COLOUR ? `\u001b[${code}m${text}\u001b[0m` : text);

/** Bold text (for headings), when colour is on. */
export const bold = (text) => paint(1, text);
/** Dim text, when colour is on. */
export const dim = (text) => paint(2, text);

/** Renders rows of `{ client, status, code, reason, message, ok }` as an aligned table. */
export function renderTable(rows) {
  const header = ['client', 'HTTP', 'code', 'reason', 'message'];
  const cells = rows.map((r) => [
    r.client,
    String(r.status),
    r.code ?? '-',
    r.reason ?? '-',
    r.message,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => String(c[i]).length)));
  // On a terminal, wrap messages at its width under their column so that nothing is cut;
  // piped output (logs, tests) keeps each row on one line.
  const columns = process.stdout.isTTY ? process.stdout.columns : undefined;
  const indent = widths.slice(0, -1).reduce((sum, w) => sum + w + 2, 0);
  const room = columns ? Math.max(30, columns - indent - 1) : Number.POSITIVE_INFINITY;
  if (Number.isFinite(room)) widths[4] = Math.min(widths[4], room);
  const line = (values) =>
    values
      .map((v, i) => (i === values.length - 1 ? String(v) : String(v).padEnd(widths[i])))
      .join('  ');
  const out = [bold(line(header)), dim(widths.map((w) => '─'.repeat(w)).join('  '))];
  rows.forEach((r, i) => {
    const [first, ...more] = wrap(String(cells[i][4]), room);
    const text = [
      line([...cells[i].slice(0, 4), first]),
      ...more.map((m) => ' '.repeat(indent) + m),
    ].join('\n');
    out.push(r.ok ? paint(r.status === 200 ? 32 : 33, text) : paint(31, `${text}  ← unexpected`));
  });
  return out.join('\n');
}

/** Splits `text` into lines of at most `width` characters, at spaces where possible. */
function wrap(text, width) {
  if (text.length <= width) return [text];
  const lines = [];
  let rest = text;
  while (rest.length > width) {
    const cut = rest.lastIndexOf(' ', width);
    const at = cut > width / 2 ? cut : width;
    lines.push(rest.slice(0, at));
    rest = rest.slice(at).trimStart();
  }
  if (rest) lines.push(rest);
  return lines;
}
