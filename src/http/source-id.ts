/**
 * Source ids are `crypto.randomUUID()` values (src/sources/manage.ts). Anything else names no source
 * and is answered before any KV access: a long one would overflow KV's 512-byte key limit (a 500).
 */
const SOURCE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const isSourceId = (id: string): boolean => SOURCE_ID.test(id);
