/**
 * Whether signing in can work where the sign-in form is shown. The session cookie is `__Host-` and
 * Secure, which a browser keeps only from a secure context: an https page, or http on localhost (any
 * "potentially trustworthy" loopback origin). Over plain http on any other host the sign-in succeeds,
 * the browser drops the cookie, and the form simply comes back. So the form says why: the server when
 * the request reached it as http for such a host, and the page's script from `window.isSecureContext`,
 * the browser's own answer, which also corrects the server's guess behind a proxy that ends TLS.
 */

/** Hosts a browser treats as secure over plain http (`new URL().hostname` forms). */
const LOOPBACK = /^(localhost|.+\.localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

export interface SignInContext {
  /** False when the request reached us over plain http for a host that is not loopback. */
  secure: boolean;
  /** Where this server works over plain http: on its own machine, `http://localhost:PORT`. */
  localUrl: string;
}

/**
 * How the sign-in request reached us. A proxy's `X-Forwarded-Proto: https` counts as https: it can
 * only silence the notice (and the script shows it again if the browser disagrees), never sign anyone in.
 */
export function signInContext(req: Request): SignInContext {
  const url = new URL(req.url);
  const forwardedHttps = req.headers.get("X-Forwarded-Proto")?.toLowerCase() === "https";
  const secure = url.protocol === "https:" || LOOPBACK.test(url.hostname) || forwardedHttps;
  return { secure, localUrl: `http://localhost${url.port ? `:${url.port}` : ""}` };
}

/** The sign-in page's script: shows the notice exactly when the browser says this is not a secure context. */
export const SECURE_CONTEXT_SCRIPT = `
(() => {
  const notice = document.getElementById("insecure-context");
  if (notice) notice.hidden = window.isSecureContext;
})();
`;
