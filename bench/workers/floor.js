// Reference: the cost of storing anything at all. Reads the body, does one bare D1 INSERT, answers.
export default {
  async fetch(request, env) {
    const body = await request.text();
    await env.DB.prepare("INSERT INTO floor (received_at, body) VALUES (?1, ?2)")
      .bind(new Date().toISOString(), body)
      .run();
    return new Response('{"ok":true}', { headers: { "Content-Type": "application/json" } });
  },
};
