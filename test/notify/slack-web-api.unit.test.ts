/** What an answer from Slack's Web API means for a notification ({@link readAnswer}). */
import { describe, expect, it } from "vitest";
import type { SendResult } from "../../src/notify/send";
import { readAnswer } from "../../src/notify/slack/web-api";

const answer = (
  status: number | null,
  response: string | null,
  extra: Partial<SendResult> = {},
): SendResult => ({
  status,
  ok: status !== null && status >= 200 && status < 300,
  retryAfterMs: null,
  error: status === null ? "timeout" : null,
  response,
  ...extra,
});

describe("readAnswer", () => {
  it("is a success only with a 2xx and ok: true, keeping where the message landed", () => {
    expect(readAnswer(answer(200, '{"ok":true,"channel":"C1","ts":"1.2","message":{}}'))).toEqual({
      status: 200,
      ok: true,
      retryAfterMs: null,
      error: null,
      disabling: false,
      channel: "C1",
      ts: "1.2",
    });
  });

  it("reads ok: false with a 200 as a failure named by Slack's error", () => {
    expect(readAnswer(answer(200, '{"ok":false,"error":"invalid_blocks"}'))).toMatchObject({
      ok: false,
      error: "invalid_blocks",
      disabling: false,
      ts: null,
    });
  });

  it.each([
    "channel_not_found",
    "not_in_channel",
    "is_archived",
    "invalid_auth",
    "token_revoked",
    "account_inactive",
  ])("disables on %s", (error) => {
    expect(readAnswer(answer(200, JSON.stringify({ ok: false, error }))).disabling).toBe(true);
  });

  it("keeps a rate limit's Retry-After", () => {
    const read = readAnswer(answer(429, '{"ok":false,"error":"ratelimited"}', { retryAfterMs: 30_000 }));
    expect(read).toMatchObject({
      status: 429,
      ok: false,
      error: "ratelimited",
      retryAfterMs: 30_000,
      disabling: false,
    });
  });

  it("names what it could not read: a 2xx that is not Slack's JSON, a bare 5xx, no answer", () => {
    expect(readAnswer(answer(200, "ok")).error).toBe("unreadable answer");
    expect(readAnswer(answer(200, '{"ok":true}')).ok).toBe(true);
    expect(readAnswer(answer(502, null)).error).toBe("HTTP 502");
    expect(readAnswer(answer(null, null)).error).toBe("timeout");
  });

  it("never trusts an ok: true without a 2xx, nor an error name longer than Slack's", () => {
    expect(readAnswer(answer(500, '{"ok":true}')).ok).toBe(false);
    expect(readAnswer(answer(200, JSON.stringify({ ok: false, error: "x".repeat(500) }))).error).toHaveLength(
      100,
    );
  });
});
