/**
 * Access keys the API accepts for Signature Version 4, configured as `id:secret` pairs separated by commas
 * (`BATON_ACCESS_KEYS`). Parse errors name the position of the bad pair, never its secret.
 */
export type AccessKeys = ReadonlyMap<string, string>;

export function parseAccessKeys(text: string): AccessKeys {
  const keys = new Map<string, string>();
  text
    .split(',')
    .map((pair) => pair.trim())
    .filter((pair) => pair.length > 0)
    .forEach((pair, i) => {
      const colon = pair.indexOf(':');
      const id = colon > 0 ? pair.slice(0, colon).trim() : '';
      const secret = colon > 0 ? pair.slice(colon + 1).trim() : '';
      if (!/^[A-Za-z0-9_-]{1,128}$/.test(id) || secret.length === 0) {
        throw new Error(
          `access key pair #${i + 1} is not 'id:secret' (id: letters, digits, '_' or '-'; secret not empty)`,
        );
      }
      if (keys.has(id)) throw new Error(`access key id '${id}' is configured twice`);
      keys.set(id, secret);
    });
  return keys;
}
