/**
 * Which URLs notifications may be sent to (SSRF rules, docs/notifications.md): `https` only, no
 * credentials in the URL, at most 2048 characters, and no host that is literally a private, CGNAT,
 * loopback, link-local or unspecified address (IPv4, IPv6, or IPv4 inside IPv6: NAT64 and 6to4 judged by
 * the address inside; IPv4-mapped, IPv4-translated and local-use NAT64 refused whole) nor `localhost` or
 * a name under `.localhost`. A Worker cannot resolve a name before fetching it, so a public name that
 * resolves to a private address is not caught here (SECURITY.md, "Threat model": server-side request
 * forgery through destinations). With ALLOW_PRIVATE_DESTINATIONS (local development and tests only) any http or https host is allowed.
 *
 * The WHATWG URL parser has already canonicalised the host: every IPv4 spelling (`0x7f.1`, `2130706433`,
 * `017700000001`, a trailing dot) reads as dotted decimal, and IPv6 as bracketed lower-case hex.
 */

export const MAX_DESTINATION_URL_LENGTH = 2048;

export type UrlVerdict = { ok: true; url: URL } | { ok: false; message: string };

const refuse = (message: string): UrlVerdict => ({ ok: false, message });

export function checkDestinationUrl(text: string, allowPrivate: boolean): UrlVerdict {
  if (text.length > MAX_DESTINATION_URL_LENGTH) {
    return refuse(`at most ${MAX_DESTINATION_URL_LENGTH} characters`);
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return refuse("expected an absolute URL");
  }
  const schemes = allowPrivate ? ["https:", "http:"] : ["https:"];
  if (!schemes.includes(url.protocol)) {
    return refuse(allowPrivate ? "expected an http or https URL" : "expected an https URL");
  }
  if (url.username !== "" || url.password !== "") {
    return refuse("must not carry credentials (user:password@)");
  }
  if (!allowPrivate && isPrivateHost(url.hostname)) {
    return refuse("must not point to localhost or a private, loopback or link-local address");
  }
  return { ok: true, url };
}

/** What the API shows of a destination URL: its scheme and host (with a port if any), never more. */
export const urlDisplay = (url: URL) => `${url.protocol}//${url.host}`;

/** Whether `hostname` (as `URL.hostname` gives it) names this machine or a private network literally. */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (host.startsWith("[")) {
    const words = ipv6Words(host.slice(1, -1));
    // Unparseable cannot happen after the URL parser; refusing is the safe answer anyway.
    return words === undefined || isPrivateIpv6(words);
  }
  const octets = ipv4Octets(host);
  return octets !== undefined && isPrivateIpv4(octets);
}

function ipv4Octets(host: string): number[] | undefined {
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(host)) return undefined;
  const octets = host.split(".").map(Number);
  return octets.every((octet) => octet <= 255) ? octets : undefined;
}

function isPrivateIpv4([a = 0, b = 0, c = 0]: number[]): boolean {
  return (
    a === 0 || // 0.0.0.0/8: "this network", 0.0.0.0 included
    a === 10 || // 10/8
    a === 127 || // loopback
    (a === 169 && b === 254) || // link-local
    (a === 172 && b >= 16 && b <= 31) || // 172.16/12
    (a === 192 && b === 168) || // 192.168/16
    (a === 100 && b >= 64 && b <= 127) || // 100.64/10, carrier-grade NAT
    (a === 198 && (b === 18 || b === 19)) || // 198.18/15, benchmarking (often internal)
    (a === 192 && b === 0 && c === 0) || // 192.0.0/24, IETF protocol assignments
    a >= 224 // 224/4 multicast, 240/4 reserved, 255.255.255.255 broadcast
  );
}

/** The eight 16-bit words of an IPv6 address (`::` expanded, a dotted IPv4 tail read), or undefined. */
function ipv6Words(text: string): number[] | undefined {
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const words = (part: string) => {
    if (part === "") return [];
    return part.split(":").flatMap((piece) => {
      if (piece.includes(".")) {
        const octets = ipv4Octets(piece);
        return octets
          ? [(octets[0] ?? 0) * 256 + (octets[1] ?? 0), (octets[2] ?? 0) * 256 + (octets[3] ?? 0)]
          : [NaN];
      }
      return /^[0-9a-f]{1,4}$/.test(piece) ? [Number.parseInt(piece, 16)] : [NaN];
    });
  };
  const head = words(halves[0] ?? "");
  const tail = halves.length === 2 ? words(halves[1] ?? "") : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...Array<number>(missing).fill(0), ...tail];
  return all.some(Number.isNaN) ? undefined : all;
}

function isPrivateIpv6(words: number[]): boolean {
  const [w0 = 0, w1 = 0, w2 = 0, w3 = 0, w4 = 0, w5 = 0, w6 = 0, w7 = 0] = words;
  const embedded = [w6 >> 8, w6 & 0xff, w7 >> 8, w7 & 0xff];
  const zeroPrefix = w0 === 0 && w1 === 0 && w2 === 0 && w3 === 0 && w4 === 0;
  return (
    // ::/96: unspecified (::), loopback (::1) and the deprecated IPv4-compatible ::a.b.c.d
    (zeroPrefix && w5 === 0) ||
    // ::ffff:0:0/96, IPv4-mapped, whatever the IPv4 address inside: a receiver has an IPv4 literal or a
    // name, and how a stack routes a mapped address (to the IPv4 host, to itself) is its own business
    (zeroPrefix && w5 === 0xffff) ||
    // ::ffff:0:0:0/96, IPv4-translated (RFC 2765), likewise
    (w0 === 0 && w1 === 0 && w2 === 0 && w3 === 0 && w4 === 0xffff && w5 === 0) ||
    // 64:ff9b::/96, NAT64: reaches the IPv4 address inside
    (w0 === 0x64 &&
      w1 === 0xff9b &&
      w2 === 0 &&
      w3 === 0 &&
      w4 === 0 &&
      w5 === 0 &&
      isPrivateIpv4(embedded)) ||
    // 64:ff9b:1::/48, local-use NAT64 (RFC 8215): a translator inside some network, to anywhere
    (w0 === 0x64 && w1 === 0xff9b && w2 === 1) ||
    // 2002::/16, 6to4: reaches the IPv4 address in its second and third words
    (w0 === 0x2002 && isPrivateIpv4([w1 >> 8, w1 & 0xff, w2 >> 8, w2 & 0xff])) ||
    (w0 & 0xff00) === 0xff00 || // ff00::/8, multicast
    (w0 & 0xfe00) === 0xfc00 || // fc00::/7, unique local
    (w0 & 0xffc0) === 0xfe80 || // fe80::/10, link-local
    (w0 & 0xffc0) === 0xfec0 // fec0::/10, the deprecated site-local
  );
}

/**
 * ALLOW_PRIVATE_DESTINATIONS = "true" (local development and tests only): notifications may go to
 * plain http and to private, loopback and link-local hosts ({@link checkDestinationUrl}).
 */
export const allowsPrivateDestinations = (env: Pick<Env, "ALLOW_PRIVATE_DESTINATIONS">) =>
  env.ALLOW_PRIVATE_DESTINATIONS === "true";
