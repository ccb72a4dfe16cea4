/**
 * Request-body guards for the webhook and the dashboard's forms: media type (415), size (413, with
 * or without Content-Length, via Hono's bodyLimit) and strict UTF-8 decoding (400).
 */
import type { HonoRequest } from "hono";
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "../env";
import { maxBodyBytes } from "../vars";
import { problem } from "./problem";

/** The media type of a Content-Type value, lower-cased, without parameters (`;charset=UTF-8`). */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? "").split(";", 1)[0]?.trim().toLowerCase() ?? "";
}

export const requireMediaType = (supported: readonly string[]) =>
  createMiddleware<AppEnv>(async function requireMediaType(c, next) {
    if (!supported.includes(mediaType(c.req.header("Content-Type")))) {
      throw problem(415, {
        slug: "unsupported-media-type",
        title: "Unsupported media type",
        detail: `Send the body as ${supported.join(" or ")}.`,
        headers: { "Accept-Post": supported.join(", ") },
      });
    }
    await next();
  });

/** 413 past `maxBytes`, by default the webhook's MAX_BODY_BYTES. */
export const limitBody = (maxBytes?: number) =>
  createMiddleware<AppEnv>(async function limitBody(c, next) {
    const maxSize = maxBytes ?? maxBodyBytes(c.env);
    return bodyLimit({
      maxSize,
      onError: () => {
        throw problem(413, {
          slug: "payload-too-large",
          title: "Payload too large",
          detail: `The body must be at most ${maxSize} bytes.`,
        });
      },
    })(c, next);
  });

/** The body as text and its size in bytes; 400 unless it is valid UTF-8 (a BOM is dropped). */
export async function readUtf8(req: HonoRequest): Promise<{ text: string; bytes: number }> {
  let buffer: ArrayBuffer;
  try {
    buffer = await req.arrayBuffer();
  } catch (err) {
    if (err instanceof HTTPException) throw err; // the size limit
    // The client went away mid-upload: nobody reads this answer, but the log line says what happened.
    throw problem(400, {
      slug: "incomplete-body",
      title: "Incomplete body",
      detail: "The connection ended before the whole body arrived.",
    });
  }
  try {
    return {
      text: new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(buffer),
      bytes: buffer.byteLength,
    };
  } catch {
    throw problem(400, {
      slug: "invalid-payload",
      title: "Invalid payload",
      detail: "The body is not valid UTF-8.",
    });
  }
}
