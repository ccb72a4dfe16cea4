// Reference: the runtime's limit. Answers 200 and does nothing else.
export default {
  fetch() {
    return new Response('{"ok":true}', { headers: { "Content-Type": "application/json" } });
  },
};
