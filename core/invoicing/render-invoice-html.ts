import { formatInr, tzFormat } from '../money/index.ts';
import { resolveAppearance } from './invoice-appearance.ts';
import type { InvoiceBranding, InvoiceTemplate } from './invoice-appearance.ts';
import type { InvoiceDocument } from './invoice-types.ts';

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A calendar date (`YYYY-MM-DD`) as `21 Nov 2026`. */
export function formatCalendarDate(isoDate: string): string {
  return tzFormat(new Date(`${isoDate}T00:00:00Z`), { timeZone: 'UTC' });
}

/** `18%`, `0.125%`: rates and their halves, without trailing zeros. */
export function formatRate(rate: number): string {
  return `${Number(rate.toFixed(4))}%`;
}

const inr = (paise: number): string => formatInr(paise);
const STATUS_BANNER: Partial<Record<InvoiceDocument['status'], string>> = {
  draft: 'Draft - not a valid tax invoice until issued',
  approved: 'Approved - not yet issued',
  cancelled: 'Cancelled',
};

/**
 * A printable HTML tax invoice (A4): supplier and client with GSTINs, place of supply, the line
 * table with HSN/SAC and the applicable CGST + SGST/UTGST or IGST columns, totals with the
 * round-off line, the amount in words, bank details, and the signature block. Every value from
 * the invoice, template or branding is escaped; the colour and logo are used only when valid.
 */
export function renderInvoiceHtml(
  invoice: InvoiceDocument,
  options: { branding?: InvoiceBranding; template?: InvoiceTemplate } = {},
): string {
  const look = resolveAppearance(options.branding, options.template);
  const e = escapeHtml;
  const intra = invoice.supply === 'intra-state';
  const sgst = invoice.sgstLabel;
  const hsn = look.showHsnSac;

  const taxHead = intra
    ? `<th class="num">CGST rate</th><th class="num">CGST</th><th class="num">${sgst} rate</th><th class="num">${sgst}</th>`
    : '<th class="num">IGST rate</th><th class="num">IGST</th>';
  const rows = invoice.lines
    .map((line) => {
      const half = formatRate(line.gstRate / 2);
      const taxCells = intra
        ? `<td class="num">${e(half)}</td><td class="num">${e(inr(line.cgst))}</td><td class="num">${e(half)}</td><td class="num">${e(inr(line.sgst))}</td>`
        : `<td class="num">${e(formatRate(line.gstRate))}</td><td class="num">${e(inr(line.igst))}</td>`;
      return (
        `<tr><td>${line.lineNo}</td><td>${e(line.description)}</td>` +
        (hsn ? `<td>${e(line.hsnSac ?? '-')}</td>` : '') +
        `<td class="num">${e(inr(line.taxableValue))}</td>${taxCells}<td class="num">${e(inr(line.total))}</td></tr>`
      );
    })
    .join('\n');

  const totals: Array<[string, number]> = [['Taxable value', invoice.subtotal]];
  if (intra) totals.push(['CGST', invoice.taxes.cgst], [sgst, invoice.taxes.sgst]);
  else totals.push(['IGST', invoice.taxes.igst]);
  if (invoice.taxOptions.roundOffToRupee || invoice.roundOff !== 0) totals.push(['Round off', invoice.roundOff]);
  const totalRows = totals.map(([label, value]) => `<tr><th>${e(label)}</th><td class="num">${e(inr(value))}</td></tr>`).join('');
  const settled =
    invoice.amountPaid > 0 || invoice.amountCredited > 0
      ? `<tr><th>Paid</th><td class="num">${e(inr(invoice.amountPaid))}</td></tr>` +
        (invoice.amountCredited > 0 ? `<tr><th>Credited</th><td class="num">${e(inr(invoice.amountCredited))}</td></tr>` : '') +
        `<tr><th>Balance due</th><td class="num">${e(inr(invoice.balance))}</td></tr>`
      : '';

  const bank = look.bankDetails;
  const bankRows: Array<[string, string | undefined]> = [
    ['Account name', bank?.accountName],
    ['Bank', bank?.bankName],
    ['Account number', bank?.accountNumber],
    ['IFSC', bank?.ifsc],
    ['Branch', bank?.branch],
    ['UPI', bank?.upiId],
  ];
  const bankHtml = bank
    ? bankRows.filter(([, v]) => v).map(([k, v]) => `<div><span class="label">${e(k)}:</span> ${e(v)}</div>`).join('')
    : bankRows.slice(0, 4).map(([k]) => `<div><span class="label">${e(k)}:</span> <span class="blank"></span></div>`).join('');

  const party = (label: string, p: { name: string; address?: string; gstin?: string; stateName: string; stateCode: string }) =>
    `<section class="party"><h2>${e(label)}</h2><div class="name">${e(p.name)}</div>` +
    (p.address ? `<div class="address">${e(p.address)}</div>` : '') +
    `<div>GSTIN: ${p.gstin ? e(p.gstin) : 'Unregistered'}</div>` +
    `<div>State: ${e(p.stateName)} (${e(p.stateCode)})</div></section>`;

  const banner = STATUS_BANNER[invoice.status];
  const colour = look.colour;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${e(look.title)} ${e(invoice.number)}</title>
<style>
@page { size: A4; margin: 14mm; }
* { box-sizing: border-box; }
body { font-family: "Helvetica Neue", Arial, "Noto Sans", sans-serif; font-size: 10pt; color: #222; margin: 0; }
header { display: flex; justify-content: space-between; align-items: flex-start; border-bottom: 3px solid ${colour}; padding-bottom: 8px; }
header img { max-height: 60px; max-width: 180px; }
h1 { color: ${colour}; font-size: 18pt; margin: 0 0 4px; text-transform: uppercase; letter-spacing: 1px; }
h2 { font-size: 9pt; color: ${colour}; text-transform: uppercase; margin: 0 0 4px; }
.banner { border: 2px solid #b00020; color: #b00020; padding: 4px 8px; margin: 8px 0; font-weight: bold; text-align: center; }
.parties { display: flex; gap: 16px; margin: 12px 0; }
.party, .meta { flex: 1; border: 1px solid #ccc; padding: 8px; }
.party .name { font-weight: bold; }
.meta div { display: flex; justify-content: space-between; }
table { width: 100%; border-collapse: collapse; }
table.lines th { background: ${colour}; color: #fff; font-weight: normal; }
table.lines th, table.lines td { border: 1px solid #bbb; padding: 4px 6px; vertical-align: top; }
.num { text-align: right; white-space: nowrap; }
.summary { display: flex; justify-content: space-between; gap: 16px; margin-top: 12px; }
table.totals { width: 45%; }
table.totals th { text-align: left; font-weight: normal; padding: 3px 6px; }
table.totals td { padding: 3px 6px; }
table.totals tr.total th, table.totals tr.total td { font-weight: bold; border-top: 2px solid ${colour}; font-size: 11pt; }
.words { margin-top: 8px; font-style: italic; }
.label { color: #555; }
.blank { display: inline-block; min-width: 160px; border-bottom: 1px solid #999; }
.bottom { display: flex; justify-content: space-between; margin-top: 24px; gap: 16px; }
.signature { text-align: right; min-width: 220px; }
.signature .space { height: 48px; }
footer { margin-top: 24px; border-top: 1px solid #ccc; padding-top: 6px; font-size: 8pt; color: #555; text-align: center; }
@media print { .banner { -webkit-print-color-adjust: exact; print-color-adjust: exact; } table.lines th { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
</style>
</head>
<body>
<header>
<div><h1>${e(look.title)}</h1><div>${e(invoice.supplier.name)}</div></div>
${look.logo ? `<img src="${e(look.logo.dataUrl)}" alt="${e(invoice.supplier.name)} logo">` : ''}
</header>
${banner ? `<div class="banner">${e(banner)}</div>` : ''}
<div class="parties">
${party('Supplier', invoice.supplier)}
<section class="meta"><h2>Invoice</h2>
<div><span class="label">Invoice no.</span><strong>${e(invoice.number)}</strong></div>
<div><span class="label">Invoice date</span><span>${e(formatCalendarDate(invoice.issuedOn))}</span></div>
<div><span class="label">Due date</span><span>${e(formatCalendarDate(invoice.dueOn))}</span></div>
<div><span class="label">Place of supply</span><span>${e(invoice.placeOfSupply.name)} (${e(invoice.placeOfSupply.code)})</span></div>
<div><span class="label">Reverse charge</span><span>${invoice.taxOptions.reverseCharge ? 'Yes' : 'No'}</span></div>
${invoice.revision > 1 ? `<div><span class="label">Revision</span><span>${invoice.revision}</span></div>` : ''}
<div><span class="label">Milestone</span><span>${e(invoice.milestoneTitle)}</span></div>
</section>
${party('Bill to', invoice.client)}
</div>
<table class="lines">
<thead><tr><th>#</th><th>Description</th>${hsn ? '<th>HSN/SAC</th>' : ''}<th class="num">Taxable value</th>${taxHead}<th class="num">Amount</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
<div class="summary">
<div>
<div class="words"><span class="label">Amount in words:</span> ${e(invoice.amountInWords)}</div>
${look.terms.length > 0 ? `<h2 style="margin-top:12px">Terms</h2><ol>${look.terms.map((t) => `<li>${e(t)}</li>`).join('')}</ol>` : ''}
${invoice.notes ? `<p>${e(invoice.notes)}</p>` : ''}
</div>
<table class="totals">
${totalRows}
<tr class="total"><th>Total</th><td class="num">${e(inr(invoice.total))}</td></tr>
${settled}
</table>
</div>
<div class="bottom">
<section class="bank"><h2>Bank details</h2>${bankHtml}</section>
<section class="signature">
${look.declaration ? `<p>${e(look.declaration)}</p>` : ''}
<div>For ${e(invoice.supplier.name)}</div>
<div class="space"></div>
<div>${e(look.signatoryLabel)}</div>
</section>
</div>
<footer>${look.footer ? `${e(look.footer)}<br>` : ''}This is a computer-generated invoice.</footer>
</body>
</html>
`;
}
