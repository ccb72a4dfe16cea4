// Reference: a no-op plus one Rate Limiting binding call, as the webhook makes per delivery. Its
// cost over the no-op is what the local emulation of the binding adds (a SQLite write in Miniflare).
let calls = 0;
export default {
  async fetch(_request, env) {
    await env.LIMITER.limit({ key: `source-${calls++ % 4}` });
    return new Response('{"ok":true}', { headers: { "Content-Type": "application/json" } });
  },
};
