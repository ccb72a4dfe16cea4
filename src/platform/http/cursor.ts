/** Opaque page cursors: base64url of `v1:<last id>`, so clients cannot come to depend on the form. */

export function encodeCursor(id: number): string {
  return btoa(`v1:${id}`).replaceAll("=", "").replaceAll("+", "-").replaceAll("/", "_");
}

/** The id inside a cursor, or undefined when it is not one of ours. */
export function decodeCursor(cursor: string): number | undefined {
  try {
    const match = /^v1:(\d{1,15})$/.exec(atob(cursor.replaceAll("-", "+").replaceAll("_", "/")));
    return match?.[1] ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}
