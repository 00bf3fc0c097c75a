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
  const line = (values) =>
    values
      .map((v, i) => (i === values.length - 1 ? String(v) : String(v).padEnd(widths[i])))
      .join('  ');
  const out = [bold(line(header)), dim(widths.map((w) => '─'.repeat(w)).join('  '))];
  rows.forEach((r, i) => {
    const text = line(cells[i]);
    out.push(r.ok ? paint(r.status === 200 ? 32 : 33, text) : paint(31, `${text}  ← unexpected`));
  });
  return out.join('\n');
}
