/**
 * The runs of a glob segment that hold `?` ({@link globMatcher}): fixed in length counted in characters
 * (code points: `?` matches one, astral ones included), not in UTF-16 units. Found by a bit-parallel
 * scan (shift-and: bit k of the state says "the run's first k + 1 characters end here"), one pass over
 * the text, 32 characters of the run per word, so the cost is text × ⌈run / 32⌉ whatever the text holds.
 */

export interface Wild {
  /** The run as literal pieces and `null` for each `?`. */
  tokens: (string | null)[];
  /** Its length in characters. */
  length: number;
  /** Per character of the run, the bits of the positions it or a `?` stands at; `any` for the others. */
  masks: Map<number, Uint32Array>;
  any: Uint32Array;
  /** The same for the ASCII characters, word by word (`ascii[code * words + w]`): no map lookup. */
  ascii: Uint32Array;
  /** Scratch state of the scan: a plain value, used only within one synchronous call. */
  state: Uint32Array;
}

const width = (code: number) => (code > 0xffff ? 2 : 1);

/** A run holding `?` (no `*`, no `/`), compiled. */
export function wild(run: string): Wild {
  const chars = [...run];
  const words = Math.ceil(chars.length / 32);
  const any = new Uint32Array(words);
  const masks = new Map<number, Uint32Array>();
  chars.forEach((char, k) => {
    if (char === "?") any[k >> 5] = (any[k >> 5] as number) | (1 << (k & 31));
  });
  chars.forEach((char, k) => {
    if (char === "?") return;
    const code = char.codePointAt(0) as number;
    // Starts from `any`: a `?` position takes this character too.
    const mask = masks.get(code) ?? Uint32Array.from(any);
    mask[k >> 5] = (mask[k >> 5] as number) | (1 << (k & 31));
    masks.set(code, mask);
  });
  const ascii = new Uint32Array(128 * words);
  for (let code = 0; code < 128; code++) ascii.set(masks.get(code) ?? any, code * words);
  const tokens = run.split(/(\?)/).flatMap((piece) => (piece === "?" ? [null] : piece ? [piece] : []));
  return { tokens, length: chars.length, masks, any, ascii, state: new Uint32Array(words) };
}

/** Where the run ends when it starts at `at` in `text`, or -1. */
export function matchWild(run: Wild, text: string, at: number): number {
  let i = at;
  for (const token of run.tokens) {
    if (token === null) {
      if (i >= text.length) return -1;
      i += width(text.codePointAt(i) as number);
    } else {
      if (!text.startsWith(token, i)) return -1;
      i += token.length;
    }
  }
  return i;
}

/** Where the run starts when it ends at `end` in `text` and starts at `from` or later, or -1. */
export function matchWildBack(run: Wild, text: string, end: number, from: number): number {
  let i = end;
  for (let t = run.tokens.length - 1; t >= 0; t--) {
    const token = run.tokens[t];
    if (token === null || token === undefined) {
      if (i <= from) return -1;
      const low = text.charCodeAt(i - 1);
      const high = text.charCodeAt(i - 2);
      const pair = i - 2 >= from && low >= 0xdc00 && low <= 0xdfff && high >= 0xd800 && high <= 0xdbff;
      i -= pair ? 2 : 1;
    } else {
      if (i - token.length < from || !text.startsWith(token, i - token.length)) return -1;
      i -= token.length;
    }
  }
  return i;
}

/** Where the leftmost occurrence of the run at or after `from` ends, or -1. */
export function findWild(run: Wild, text: string, from: number): number {
  const { state, masks, any, ascii } = run;
  const words = state.length;
  const top = run.length - 1;
  const topWord = top >> 5;
  const topBit = 1 << (top & 31);
  if (words === 1) return findShort(run, text, from, topBit);
  state.fill(0);
  let i = from;
  while (i < text.length) {
    const code = text.codePointAt(i) as number;
    i += width(code);
    let carry = 1;
    if (code < 128) {
      const base = code * words;
      for (let w = 0; w < words; w++) {
        const bits = state[w] as number;
        state[w] = ((bits << 1) | carry) & (ascii[base + w] as number);
        carry = bits >>> 31;
      }
    } else {
      const mask = masks.get(code) ?? any;
      for (let w = 0; w < words; w++) {
        const bits = state[w] as number;
        state[w] = ((bits << 1) | carry) & (mask[w] as number);
        carry = bits >>> 31;
      }
    }
    if ((state[topWord] as number) & topBit) return i;
  }
  return -1;
}

/** findWild for a run of at most 32 characters: the state is one number. */
function findShort(run: Wild, text: string, from: number, topBit: number): number {
  const { masks, ascii } = run;
  const any = run.any[0] as number;
  let state = 0;
  let i = from;
  while (i < text.length) {
    const unit = text.charCodeAt(i);
    let mask: number;
    if (unit < 128) {
      mask = ascii[unit] as number;
      i += 1;
    } else {
      const code = text.codePointAt(i) as number;
      i += width(code);
      mask = masks.get(code)?.[0] ?? any;
    }
    state = ((state << 1) | 1) & mask;
    if (state & topBit) return i;
  }
  return -1;
}
