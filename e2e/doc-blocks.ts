/**
 * The fenced code blocks of a Markdown file (the README or a guide in docs/), found by the heading they
 * sit under, so the tour runs what the page shows wherever a section moves within it.
 */
import { readFileSync } from "node:fs";

/** One fenced block: its info string (`sh`, `console`, `js`, or empty) and its text. */
export interface CodeBlock {
  lang: string;
  code: string;
}

const HEADING = /^(#{1,6}) (.*)$/;
const FENCE = /^```(.*)$/;

/**
 * The blocks of `file` under the heading whose text is `heading`, up to the next heading of the same or a
 * higher level (lines inside a block that start with `#` are shell comments, not headings). Throws when
 * the heading is missing or holds no block: a renamed section should fail the tour, not skip it.
 */
export function blocksUnder(file: string, heading: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  let level = 0;
  let found = false;
  let open: { lang: string; lines: string[] } | null = null;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const fence = FENCE.exec(line);
    if (open) {
      if (fence && fence[1] === "") {
        if (found) blocks.push({ lang: open.lang, code: open.lines.join("\n") });
        open = null;
      } else {
        open.lines.push(line);
      }
      continue;
    }
    if (fence) {
      open = { lang: (fence[1] ?? "").trim(), lines: [] };
      continue;
    }
    const [, hashes = "", text = ""] = HEADING.exec(line) ?? [];
    if (hashes === "") continue;
    if (found && hashes.length <= level) break;
    if (!found && text.trim() === heading) {
      found = true;
      level = hashes.length;
    }
  }
  if (blocks.length === 0) throw new Error(`${file}: no code block under a heading "${heading}"`);
  return blocks;
}

/** The only block of `lang` under `heading` in `file`. */
export function blockUnder(file: string, heading: string, lang: string): string {
  const [block, ...more] = blocksUnder(file, heading).filter((item) => item.lang === lang);
  if (!block || more.length > 0) {
    throw new Error(
      `${file} "${heading}": ${more.length + (block ? 1 : 0)} \`${lang}\` blocks, expected one`,
    );
  }
  return block.code;
}
