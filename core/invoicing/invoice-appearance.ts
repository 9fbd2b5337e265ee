import { z } from 'zod';

/** A tenant's branding on its documents. */
export interface InvoiceBranding {
  /** A `data:image/png|jpeg|gif|webp;base64,…` URL; the PDF uses PNG and JPEG only. */
  logoDataUrl?: string;
  /** `#rgb` or `#rrggbb`. */
  primaryColor?: string;
  footer?: string;
}

/** Bank details printed for payment by transfer. */
export interface BankDetails {
  accountName?: string;
  bankName?: string;
  accountNumber?: string;
  ifsc?: string;
  branch?: string;
  upiId?: string;
}

/** A tenant's invoice template, as data. */
export interface InvoiceTemplate {
  /** @default 'Tax Invoice' */
  title?: string;
  /** Printed as blanks to fill in when absent. */
  bankDetails?: BankDetails;
  /** Payment terms and conditions, one per line. */
  terms?: string[];
  /** @default 'Authorised Signatory' */
  signatoryLabel?: string;
  /** @default true */
  showHsnSac?: boolean;
  /** A declaration printed above the signature. */
  declaration?: string;
}

const MAX_LOGO_CHARS = 700_000;
const LOGO = /^data:image\/(png|jpeg|gif|webp);base64,([A-Za-z0-9+/]+={0,2})$/;
const COLOUR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
const text = (max: number) => z.string().trim().max(max);

/** Validates branding as a tenant stores it. */
export const invoiceBrandingSchema = z.strictObject({
  logoDataUrl: z.string().max(MAX_LOGO_CHARS).regex(LOGO, 'must be a base64 data URL of a PNG, JPEG, GIF or WebP image').optional(),
  primaryColor: z.string().regex(COLOUR, 'must be #rgb or #rrggbb').optional(),
  footer: text(500).optional(),
});

/** Validates a template as a tenant stores it. */
export const invoiceTemplateSchema = z.strictObject({
  title: text(60).min(1).optional(),
  bankDetails: z
    .strictObject({
      accountName: text(120).optional(),
      bankName: text(120).optional(),
      accountNumber: z.string().trim().regex(/^[0-9A-Za-z]{6,34}$/, 'must be 6–34 letters or digits').optional(),
      ifsc: z.string().trim().toUpperCase().regex(/^[A-Z]{4}0[A-Z0-9]{6}$/, 'must be an 11-character IFSC').optional(),
      branch: text(120).optional(),
      upiId: z.string().trim().regex(/^[A-Za-z0-9._-]{2,256}@[A-Za-z]{2,64}$/, 'must be a UPI id like name@bank').optional(),
    })
    .optional(),
  terms: z.array(text(300).min(1)).max(20).optional(),
  signatoryLabel: text(60).min(1).optional(),
  showHsnSac: z.boolean().optional(),
  declaration: text(500).optional(),
});

/** A tenant's invoice appearance: branding and template together. */
export const invoiceAppearanceSchema = z.strictObject({
  branding: invoiceBrandingSchema.default({}),
  template: invoiceTemplateSchema.default({}),
});

/** Branding and template with defaults filled and anything unsafe dropped. */
export interface ResolvedAppearance {
  title: string;
  signatoryLabel: string;
  showHsnSac: boolean;
  /** `#rrggbb`. */
  colour: string;
  logo?: { dataUrl: string; format: 'png' | 'jpeg' | 'gif' | 'webp'; bytes: Buffer };
  footer?: string;
  bankDetails?: BankDetails;
  terms: string[];
  declaration?: string;
}

const DEFAULT_COLOUR = '#1f3a5f';

/**
 * Fills defaults and drops values that could not be printed safely (a colour that is not hex,
 * a logo that is not an image data URL), so renderers never emit caller-controlled markup.
 */
export function resolveAppearance(branding: InvoiceBranding = {}, template: InvoiceTemplate = {}): ResolvedAppearance {
  const colour = typeof branding.primaryColor === 'string' && COLOUR.test(branding.primaryColor) ? expandHex(branding.primaryColor) : DEFAULT_COLOUR;
  const match = typeof branding.logoDataUrl === 'string' && branding.logoDataUrl.length <= MAX_LOGO_CHARS ? LOGO.exec(branding.logoDataUrl) : null;
  const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
  return {
    title: nonEmpty(template.title) ? template.title.trim() : 'Tax Invoice',
    signatoryLabel: nonEmpty(template.signatoryLabel) ? template.signatoryLabel.trim() : 'Authorised Signatory',
    showHsnSac: template.showHsnSac ?? true,
    colour,
    ...(match
      ? { logo: { dataUrl: branding.logoDataUrl!, format: match[1] as 'png' | 'jpeg' | 'gif' | 'webp', bytes: Buffer.from(match[2]!, 'base64') } }
      : {}),
    ...(nonEmpty(branding.footer) ? { footer: branding.footer.trim() } : {}),
    ...(template.bankDetails ? { bankDetails: template.bankDetails } : {}),
    terms: Array.isArray(template.terms) ? template.terms.filter(nonEmpty) : [],
    ...(nonEmpty(template.declaration) ? { declaration: template.declaration.trim() } : {}),
  };
}

function expandHex(colour: string): string {
  const hex = colour.slice(1).toLowerCase();
  return hex.length === 3 ? `#${[...hex].map((c) => c + c).join('')}` : `#${hex}`;
}
