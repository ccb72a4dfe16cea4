// Reference: a no-op plus one queue send, as the webhook makes per deferred delivery. Its cost over
// the no-op is what the local emulation of Queues adds (a Durable Object writing to SQLite in
// Miniflare; the consumer's receive is another). Nothing consumes it here.
export default {
  async fetch(request, env) {
    await env.QUEUE.send(await request.text());
    return new Response('{"ok":true}', { headers: { "Content-Type": "application/json" } });
  },
};
