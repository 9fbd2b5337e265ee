const checksumAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

function isAlphanumeric(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    const ok = (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
    if (!ok) return false;
  }
  return true;
}

// The suffix encodes which of the 15 characters are upper case, so the 18-character form survives case-insensitive systems.
function checksumSuffix(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk += 1) {
    let bits = 0;
    for (let i = 0; i < 5; i += 1) {
      const code = id15.charCodeAt(chunk * 5 + i);
      if (code >= 65 && code <= 90) bits |= 1 << i;
    }
    suffix += checksumAlphabet[bits];
  }
  return suffix;
}

/**
 * The canonical 15-character form of a Salesforce id given in either form, or undefined
 * when it is not one (an 18-character id whose suffix does not match its first 15 characters).
 */
export function salesforceId15(id: string): string | undefined {
  if (!isAlphanumeric(id)) return undefined;
  if (id.length === 15) return id;
  if (id.length !== 18) return undefined;
  const base = id.slice(0, 15);
  return checksumSuffix(base) === id.slice(15).toUpperCase() ? base : undefined;
}

/** The 18-character form of a Salesforce id given in either form. */
export function salesforceId18(id: string): string | undefined {
  const base = salesforceId15(id);
  return base === undefined ? undefined : base + checksumSuffix(base);
}
