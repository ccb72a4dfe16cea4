/**
 * Unicode direction controls (embeddings, overrides and isolates: U+202A–U+202E, U+2066–U+2069) in text
 * that Jenkins or a payload controls are shown as visible escapes, `<U+202E>`, wherever a human reads
 * it: a job called `‮gnp.exe` then reads `<U+202E>gnp.exe` rather than posing as `exe.png` (the
 * "Trojan Source" reordering). Escaped, not removed: the reader sees that something was there, and
 * what. Pure, and knows no feature: the notification messages and the dashboard's pages call it.
 */

const DIRECTION_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/** Whether `text` holds a direction control. */
export const hasDirectionControls = (text: string) => /[\u202A-\u202E\u2066-\u2069]/.test(text);

/** `text` with each direction control written as `<U+XXXX>`; any other character is left as it is. */
export const showDirectionControls = (text: string) =>
  text.replace(
    DIRECTION_CONTROLS,
    (control) => `<U+${(control.codePointAt(0) as number).toString(16).toUpperCase()}>`,
  );

/** {@link showDirectionControls} for HTML source text: each control becomes `&lt;U+XXXX&gt;`, nothing else changes. */
export const showDirectionControlsInHtml = (html: string) =>
  html.replace(
    DIRECTION_CONTROLS,
    (control) => `&lt;U+${(control.codePointAt(0) as number).toString(16).toUpperCase()}&gt;`,
  );
