/**
 * Glob patterns for `match?`, `any?`, `all?` and `none?`: `*` matches any run of characters
 * (also none), `?` exactly one character (a code point), `\` makes the next character
 * literal; everything else matches itself, case-sensitively.
 *
 * A pattern is compiled once to a bit-parallel NFA (Shift-And with `*` self-loops): one
 * bit per pattern position, one pass over the text, no backtracking. Matching costs
 * O(text length × ⌈pattern length / 32⌉) whatever the pattern and text, so a hostile
 * pattern or certificate cannot make a request slow.
 */

/** A compiled glob. */
export interface Glob {
  /** The pattern as written. */
  readonly source: string;
  /** True when `text` matches the whole pattern. */
  test(text: string): boolean;
}

type Token =
  | { readonly kind: 'star' }
  | { readonly kind: 'any' }
  | { readonly kind: 'char'; readonly cp: number };

function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < pattern.length; i++) {
    let cp = pattern.codePointAt(i)!;
    if (cp > 0xffff) i++;
    if (cp === 0x2a) {
      if (tokens.at(-1)?.kind !== 'star') tokens.push({ kind: 'star' });
      continue;
    }
    if (cp === 0x3f) {
      tokens.push({ kind: 'any' });
      continue;
    }
    if (cp === 0x5c && i + 1 < pattern.length) {
      i++;
      cp = pattern.codePointAt(i)!;
      if (cp > 0xffff) i++;
    }
    tokens.push({ kind: 'char', cp });
  }
  return tokens;
}

/** Compiles a glob pattern. Never throws: every string is a pattern. */
export function compileGlob(pattern: string): Glob {
  const tokens = tokenize(pattern);
  if (tokens.every((t) => t.kind === 'char')) {
    const literal = String.fromCodePoint(...tokens.map((t) => (t.kind === 'char' ? t.cp : 0)));
    return { source: pattern, test: (text) => text === literal };
  }
  // The usual shape of a rule's pattern (`DNS:*.example.com`, `svc-*`): one `*` between two
  // literals. Matching is then a prefix, a suffix and a length check; the automaton below
  // gives the same answers (test/rules/glob.test.ts) at a map lookup per character.
  // Not for a lone surrogate in the pattern: a prefix or suffix ending or starting in half a
  // pair would then match inside a character the automaton reads whole.
  const stars = tokens.filter((t) => t.kind === 'star').length;
  const plain = (t: Token) => t.kind === 'star' || (t.kind === 'char' && !isSurrogate(t.cp));
  if (stars === 1 && tokens.every(plain)) {
    const at = tokens.findIndex((t) => t.kind === 'star');
    const text = (list: readonly Token[]) =>
      String.fromCodePoint(...list.map((t) => (t.kind === 'char' ? t.cp : 0)));
    const prefix = text(tokens.slice(0, at));
    const suffix = text(tokens.slice(at + 1));
    const least = prefix.length + suffix.length;
    return {
      source: pattern,
      test: (t) => t.length >= least && t.startsWith(prefix) && t.endsWith(suffix),
    };
  }
  const states = tokens.length + 1;
  return states <= 32 ? smallGlob(pattern, tokens) : largeGlob(pattern, tokens);
}

/** Up to 31 tokens: the state set fits one 32-bit integer. */
function smallGlob(source: string, tokens: readonly Token[]): Glob {
  let star = 0;
  let any = 0;
  const chars = new Map<number, number>();
  tokens.forEach((t, i) => {
    const bit = (1 << (i + 1)) >>> 0;
    if (t.kind === 'star') star |= 1 << i;
    else if (t.kind === 'any') any |= bit;
    else chars.set(t.cp, (chars.get(t.cp) ?? 0) | bit);
  });
  for (const [cp, mask] of chars) chars.set(cp, (mask | any) >>> 0);
  // ASCII, nearly every character of a certificate's names, from a table, not the map.
  const ascii = new Uint32Array(128).fill(any);
  for (const [cp, mask] of chars) if (cp < 128) ascii[cp] = mask;
  const accept = (1 << tokens.length) >>> 0;
  const closure = (d: number): number => (d | ((d & star) << 1)) >>> 0;
  const initial = closure(1);
  return {
    source,
    test(text: string): boolean {
      let d = initial;
      for (let i = 0; i < text.length; i++) {
        let cp = text.charCodeAt(i);
        if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < text.length) {
          const low = text.charCodeAt(i + 1);
          if (low >= 0xdc00 && low <= 0xdfff) {
            cp = (cp - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
            i++;
          }
        }
        const mask = cp < 128 ? ascii[cp]! : (chars.get(cp) ?? any);
        d = closure((((d << 1) & mask) | (d & star)) >>> 0);
        if (d === 0) return false;
      }
      return (d & accept) !== 0;
    },
  };
}

/** Longer patterns: the state set is an array of 32-bit words. */
function largeGlob(source: string, tokens: readonly Token[]): Glob {
  const words = Math.ceil((tokens.length + 1) / 32);
  const star = new Uint32Array(words);
  const any = new Uint32Array(words);
  const chars = new Map<number, Uint32Array>();
  const set = (mask: Uint32Array, bit: number): void => {
    mask[bit >>> 5]! |= 1 << (bit & 31);
  };
  tokens.forEach((t, i) => {
    if (t.kind === 'star') set(star, i);
    else if (t.kind === 'any') set(any, i + 1);
    else {
      const mask = chars.get(t.cp) ?? new Uint32Array(words);
      chars.set(t.cp, mask);
      set(mask, i + 1);
    }
  });
  for (const mask of chars.values()) for (let w = 0; w < words; w++) mask[w]! |= any[w]!;
  const acceptWord = tokens.length >>> 5;
  const acceptBit = 1 << (tokens.length & 31);
  // d := closure(d): states after a `*` are reachable without reading (stars never repeat).
  const closure = (d: Uint32Array): void => {
    let carry = 0;
    for (let w = 0; w < words; w++) {
      const s = d[w]! & star[w]!;
      const next = carry;
      carry = s >>> 31;
      d[w] = d[w]! | (s << 1) | next;
    }
  };
  return {
    source,
    test(text: string): boolean {
      const d = new Uint32Array(words);
      d[0] = 1;
      closure(d);
      for (let i = 0; i < text.length; i++) {
        const cp = text.codePointAt(i)!;
        if (cp > 0xffff) i++;
        const mask = chars.get(cp) ?? any;
        let carry = 0;
        let alive = 0;
        for (let w = 0; w < words; w++) {
          const word = d[w]!;
          const shifted = ((word << 1) | carry) >>> 0;
          carry = word >>> 31;
          d[w] = (shifted & mask[w]!) | (word & star[w]!);
        }
        closure(d);
        for (let w = 0; w < words; w++) alive |= d[w]!;
        if (alive === 0) return false;
      }
      return (d[acceptWord]! & acceptBit) !== 0;
    },
  };
}

function isSurrogate(cp: number): boolean {
  return cp >= 0xd800 && cp <= 0xdfff;
}
