import { validateGstin } from '../gst/index.ts';
import { GST_STATE_CODES } from '../money/index.ts';
import type { ClientDetails, InvoiceDocument, InvoiceParty, SupplierDetails } from './invoice-types.ts';
import type { InvoiceIssue } from './invoicing-result.ts';

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

/** The name of a GST state or place-of-supply code, or undefined when the code is unknown. */
export function stateNameOf(code: unknown): string | undefined {
  if (typeof code !== 'string' || !/^\d{2}$/.test(code)) return undefined;
  return GST_STATE_CODES.get(code)?.name;
}

function checkStateCode(code: unknown, path: string, who: string, issues: InvoiceIssue[]): string | undefined {
  if (code === undefined || code === null || code === '') {
    issues.push({ path, code: 'state_code_missing', message: `the ${who}'s two-digit GST state code is required` });
    return undefined;
  }
  const name = stateNameOf(code);
  if (name === undefined) {
    issues.push({ path, code: 'invalid_state_code', message: `'${String(code)}' is not a GST state code` });
  }
  return name;
}

function checkGstin(gstin: string, stateCode: unknown, path: string, who: string, issues: InvoiceIssue[]): string | undefined {
  const result = validateGstin(gstin, typeof stateCode === 'string' && stateCode !== '' ? { stateCode } : {});
  if (result.ok) return result.value.gstin;
  const code = result.error.code === 'gstin_state_mismatch' ? 'gstin_state_mismatch' : 'invalid_gstin';
  issues.push({ path, code, message: `the ${who}'s GSTIN is not valid: ${result.error.message}` });
  return undefined;
}

/** Checks the supplier (the tenant) and returns it as printed: GSTIN in upper case, state named. */
export function checkSupplier(supplier: unknown, issues: InvoiceIssue[]): InvoiceDocument['supplier'] | undefined {
  if (supplier === null || typeof supplier !== 'object') {
    issues.push({ path: 'supplier', code: 'supplier_incomplete', message: 'supplier details (legal name, GSTIN, state code, address) are required' });
    return undefined;
  }
  const s = supplier as Partial<SupplierDetails>;
  const before = issues.length;
  if (!nonEmpty(s.legalName)) issues.push({ path: 'supplier.legalName', code: 'supplier_incomplete', message: "the supplier's legal name is required" });
  if (!nonEmpty(s.address)) issues.push({ path: 'supplier.address', code: 'supplier_incomplete', message: "the supplier's address is required" });
  const stateName = checkStateCode(s.stateCode, 'supplier.stateCode', 'supplier', issues);
  if (s.stateCode === '96') {
    issues.push({ path: 'supplier.stateCode', code: 'invalid_state_code', message: 'the supplier must be registered in an Indian state or territory' });
  }
  let gstin: string | undefined;
  if (!nonEmpty(s.gstin)) issues.push({ path: 'supplier.gstin', code: 'supplier_incomplete', message: "the supplier's GSTIN is required" });
  else gstin = checkGstin(s.gstin, s.stateCode, 'supplier.gstin', 'supplier', issues);
  if (issues.length > before || !gstin || !stateName) return undefined;
  return {
    name: s.legalName!.trim(),
    gstin,
    stateCode: s.stateCode!,
    stateName,
    address: s.address!.trim(),
  };
}

/** Checks the client; a GSTIN is optional (B2C) but must be valid and of the client's state. */
export function checkClient(client: unknown, issues: InvoiceIssue[], path = 'client'): InvoiceParty | undefined {
  if (client === null || typeof client !== 'object') {
    issues.push({ path, code: 'client_incomplete', message: 'client details (name and state code) are required' });
    return undefined;
  }
  const c = client as Partial<ClientDetails>;
  const before = issues.length;
  if (!nonEmpty(c.name)) issues.push({ path: `${path}.name`, code: 'client_incomplete', message: "the client's name is required" });
  const stateName = checkStateCode(c.stateCode, `${path}.stateCode`, 'client', issues);
  let gstin: string | undefined;
  if (c.gstin !== undefined && c.gstin !== null && c.gstin !== '') {
    if (typeof c.gstin !== 'string') issues.push({ path: `${path}.gstin`, code: 'invalid_gstin', message: "the client's GSTIN must be text" });
    else gstin = checkGstin(c.gstin, c.stateCode, `${path}.gstin`, 'client', issues);
  }
  if (c.address !== undefined && typeof c.address !== 'string') {
    issues.push({ path: `${path}.address`, code: 'client_incomplete', message: "the client's address must be text" });
  }
  if (issues.length > before || !stateName) return undefined;
  return {
    name: c.name!.trim(),
    ...(gstin ? { gstin } : {}),
    stateCode: c.stateCode!,
    stateName,
    ...(nonEmpty(c.address) ? { address: c.address.trim() } : {}),
  };
}
