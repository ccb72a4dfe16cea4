/**
 * A URL as RFC 3986 allows it (what the Adaptive Card schema's `uri-reference` format checks): the URL
 * parser leaves `|`, `` ` ``, `^`, `{`, `}`, `[`, `]` and `\` alone in some parts of a URL, which
 * Teams then refuses. Pure.
 */

/** What RFC 3986 allows in a path, query or fragment as it is: unreserved, sub-delims, `:`, `@`, `/`, `?`. */
const ALLOWED = /[A-Za-z0-9\-._~!$&'()*+,;=:@/?]/;
const HEX = /^[0-9A-Fa-f]{2}$/;

/**
 * `part` (a path, a query or a fragment, without its leading `?` or `#`) with every character RFC 3986
 * does not allow there percent-encoded as UTF-8; valid `%XX` escapes are kept, a stray `%` becomes `%25`.
 */
export function percentEncodePart(part: string): string {
  let out = "";
  let i = 0;
  while (i < part.length) {
    const char = String.fromCodePoint(part.codePointAt(i) as number);
    const kept = char === "%" && HEX.test(part.slice(i + 1, i + 3));
    if (kept) out += part.slice(i, i + 3);
    else if (ALLOWED.test(char)) out += char;
    // A lone surrogate has no UTF-8 form: U+FFFD stands in for it, as the URL parser does.
    else out += encodeURIComponent(/[\uD800-\uDFFF]/.test(char) ? "\uFFFD" : char);
    i += kept ? 3 : char.length;
  }
  return out;
}

/**
 * `url` (absolute, as the URL parser serialised it) with its path, query and fragment percent-encoded
 * per RFC 3986; the scheme and authority stay as the parser wrote them (a host in punycode, an IPv6
 * one bracketed, user info already encoded). The parser has already encoded `?` and `#` wherever they
 * are not the query's and the fragment's delimiters, so the first of each splits the URL.
 */
export function toUriReference(url: URL): string {
  const { href } = url;
  const hashAt = href.includes("#") ? href.indexOf("#") : href.length;
  const queryAt = href.slice(0, hashAt).includes("?") ? href.indexOf("?") : hashAt;
  const found = href.indexOf("/", url.protocol.length + 2);
  const pathAt = found < 0 || found > queryAt ? queryAt : found;
  const fragment = hashAt < href.length ? `#${percentEncodePart(href.slice(hashAt + 1))}` : "";
  const query = queryAt < hashAt ? `?${percentEncodePart(href.slice(queryAt + 1, hashAt))}` : "";
  return `${href.slice(0, pathAt)}${percentEncodePart(href.slice(pathAt, queryAt))}${query}${fragment}`;
}
