const hexPattern = /^(?:[0-9a-fA-F]{2})*$/;
const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decodes hex, or returns undefined: Buffer.from would silently stop at the first bad digit. */
export function decodeHex(text: string): Buffer | undefined {
  if (text.length === 0 || !hexPattern.test(text)) return undefined;
  return Buffer.from(text, 'hex');
}

/** Decodes padded standard base64, or returns undefined: Buffer.from would silently skip bad characters. */
export function decodeBase64(text: string): Buffer | undefined {
  if (text.length === 0 || !base64Pattern.test(text)) return undefined;
  return Buffer.from(text, 'base64');
}
