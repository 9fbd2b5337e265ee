import PDFDocument from 'pdfkit';
import { formatInr } from '../money/index.ts';
import { resolveAppearance } from './invoice-appearance.ts';
import type { InvoiceBranding, InvoiceTemplate } from './invoice-appearance.ts';
import type { InvoiceDocument } from './invoice-types.ts';
import { pdfSafeText } from './pdf-safe-text.ts';
import { formatCalendarDate, formatRate } from './render-invoice-html.ts';

/** Options of {@link renderInvoicePdf}. */
export interface RenderPdfOptions {
  branding?: InvoiceBranding;
  template?: InvoiceTemplate;
  /** Deflate the page content; off only to inspect the PDF's text. @default true */
  compress?: boolean;
}

type Doc = InstanceType<typeof PDFDocument>;

const MARGIN = 40;
const GREY = '#555555';
const TEXT = '#222222';

// Helvetica has no rupee sign; amounts print as `Rs. 1,18,000.00`.
const rs = (paise: number): string => `${paise < 0 ? '-' : ''}Rs. ${formatInr(Math.abs(paise), { symbol: false })}`;
const plain = (paise: number): string => formatInr(paise, { symbol: false });
const t = pdfSafeText;

interface Column {
  title: string;
  width: number;
  align: 'left' | 'right';
  cell: (line: InvoiceDocument['lines'][number]) => string;
}

/**
 * Renders an invoice as an A4 PDF in-process with pdfkit (no browser): the same content as the
 * HTML invoice, in the standard Helvetica font, amounts as `Rs.`.
 */
export function renderInvoicePdf(invoice: InvoiceDocument, options: RenderPdfOptions = {}): Promise<Buffer> {
  const look = resolveAppearance(options.branding, options.template);
  const doc: Doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    compress: options.compress ?? true,
    info: {
      Title: t(`${look.title} ${invoice.number}`),
      Author: t(invoice.supplier.name),
      Subject: t(`${invoice.milestoneTitle} - ${invoice.clientName}`),
      // A fixed creation date keeps the same invoice rendering to the same bytes.
      CreationDate: invoice.issueDate,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  try {
    draw(doc, invoice, look);
  } finally {
    doc.end();
  }
  return done;
}

function draw(doc: Doc, invoice: InvoiceDocument, look: ReturnType<typeof resolveAppearance>): void {
  const width = doc.page.width - 2 * MARGIN;
  const right = MARGIN + width;
  const bottom = () => doc.page.height - MARGIN - 30;
  let y = MARGIN;

  // Header: title and supplier on the left, logo on the right.
  if (look.logo && (look.logo.format === 'png' || look.logo.format === 'jpeg')) {
    try {
      doc.image(look.logo.bytes, right - 150, y, { fit: [150, 50], align: 'right' });
    } catch {
      // A logo pdfkit cannot decode is left out rather than failing the invoice.
    }
  }
  doc.fillColor(look.colour).font('Helvetica-Bold').fontSize(18).text(t(look.title.toUpperCase()), MARGIN, y, { width: width - 160 });
  y = doc.y + 2;
  doc.fillColor(TEXT).font('Helvetica').fontSize(10).text(t(invoice.supplier.name), MARGIN, y, { width: width - 160 });
  y = Math.max(doc.y, MARGIN + 52) + 6;
  doc.moveTo(MARGIN, y).lineTo(right, y).lineWidth(2).strokeColor(look.colour).stroke();
  y += 8;

  const banner = invoice.status === 'draft' ? 'DRAFT - not a valid tax invoice until issued' : invoice.status === 'cancelled' ? 'CANCELLED' : undefined;
  if (banner) {
    doc.fillColor('#b00020').font('Helvetica-Bold').fontSize(10).text(banner, MARGIN, y, { width, align: 'center' });
    y = doc.y + 6;
  }

  // Supplier (left) and invoice details (right).
  const half = (width - 16) / 2;
  const partyBlock = (label: string, x: number, top: number, p: InvoiceDocument['client']): number => {
    doc.fillColor(look.colour).font('Helvetica-Bold').fontSize(8).text(label.toUpperCase(), x, top, { width: half });
    doc.fillColor(TEXT).font('Helvetica-Bold').fontSize(10).text(t(p.name), x, doc.y + 2, { width: half });
    doc.font('Helvetica').fontSize(9);
    if (p.address) doc.text(t(p.address), x, doc.y + 1, { width: half });
    doc.text(`GSTIN: ${p.gstin ?? 'Unregistered'}`, x, doc.y + 1, { width: half });
    doc.text(t(`State: ${p.stateName} (${p.stateCode})`), x, doc.y + 1, { width: half });
    return doc.y;
  };
  const supplierEnd = partyBlock('Supplier', MARGIN, y, invoice.supplier);

  const metaX = MARGIN + half + 16;
  const meta: Array<[string, string]> = [
    ['Invoice no.', invoice.number],
    ['Invoice date', formatCalendarDate(invoice.issuedOn)],
    ['Due date', formatCalendarDate(invoice.dueOn)],
    ['Place of supply', `${invoice.placeOfSupply.name} (${invoice.placeOfSupply.code})`],
    ['Reverse charge', invoice.taxOptions.reverseCharge ? 'Yes' : 'No'],
    ...(invoice.revision > 1 ? ([['Revision', String(invoice.revision)]] as Array<[string, string]>) : []),
    ['Milestone', invoice.milestoneTitle],
  ];
  doc.fillColor(look.colour).font('Helvetica-Bold').fontSize(8).text('INVOICE', metaX, y, { width: half });
  let my = doc.y + 2;
  for (const [label, value] of meta) {
    doc.fillColor(GREY).font('Helvetica').fontSize(9).text(label, metaX, my, { width: 90 });
    const labelEnd = doc.y;
    doc.fillColor(TEXT).font(label === 'Invoice no.' ? 'Helvetica-Bold' : 'Helvetica').text(t(value), metaX + 92, my, { width: half - 92 });
    my = Math.max(labelEnd, doc.y) + 1;
  }
  y = Math.max(supplierEnd, my) + 10;
  y = partyBlock('Bill to', MARGIN, y, invoice.client) + 12;

  // Line table.
  const intra = invoice.supply === 'intra-state';
  const fixed: Column[] = [
    ...(look.showHsnSac ? [{ title: 'HSN/SAC', width: 48, align: 'left' as const, cell: (l: InvoiceDocument['lines'][number]) => l.hsnSac ?? '-' }] : []),
    { title: 'GST %', width: 34, align: 'right', cell: (l) => formatRate(l.gstRate) },
    { title: 'Taxable value', width: 72, align: 'right', cell: (l) => plain(l.taxableValue) },
    ...(intra
      ? [
          { title: 'CGST', width: 62, align: 'right' as const, cell: (l: InvoiceDocument['lines'][number]) => plain(l.cgst) },
          { title: invoice.sgstLabel, width: 62, align: 'right' as const, cell: (l: InvoiceDocument['lines'][number]) => plain(l.sgst) },
        ]
      : [{ title: 'IGST', width: 66, align: 'right' as const, cell: (l: InvoiceDocument['lines'][number]) => plain(l.igst) }]),
    { title: 'Amount', width: 72, align: 'right', cell: (l) => plain(l.total) },
  ];
  const numberCol: Column = { title: '#', width: 18, align: 'left', cell: (l) => String(l.lineNo) };
  const descWidth = width - numberCol.width - fixed.reduce((s, c) => s + c.width, 0);
  const columns: Column[] = [numberCol, { title: 'Description', width: descWidth, align: 'left', cell: (l) => l.description }, ...fixed];
  const pad = 4;

  const header = (): void => {
    doc.font('Helvetica-Bold').fontSize(8);
    const h = Math.max(...columns.map((c) => doc.heightOfString(c.title, { width: c.width - 2 * pad }))) + 2 * pad;
    doc.rect(MARGIN, y, width, h).fill(look.colour);
    let x = MARGIN;
    for (const c of columns) {
      doc.fillColor('#ffffff').text(c.title, x + pad, y + pad, { width: c.width - 2 * pad, align: c.align });
      x += c.width;
    }
    y += h;
    doc.fillColor(TEXT).font('Helvetica').fontSize(8);
  };
  header();
  doc.font('Helvetica').fontSize(8).fillColor(TEXT);
  doc.fillColor(GREY).fontSize(7).text('Amounts in Rs.', MARGIN, y + 2, { width, align: 'right' });
  y = doc.y + 2;
  doc.fillColor(TEXT).fontSize(8);
  for (const line of invoice.lines) {
    const cells = columns.map((c) => t(c.cell(line)));
    const h = Math.max(...cells.map((s, i) => doc.heightOfString(s, { width: columns[i]!.width - 2 * pad }))) + 2 * pad;
    if (y + h > bottom()) {
      doc.addPage();
      y = MARGIN;
      header();
    }
    let x = MARGIN;
    cells.forEach((s, i) => {
      const c = columns[i]!;
      doc.text(s, x + pad, y + pad, { width: c.width - 2 * pad, align: c.align });
      x += c.width;
    });
    y += h;
    doc.moveTo(MARGIN, y).lineTo(right, y).lineWidth(0.5).strokeColor('#bbbbbb').stroke();
  }
  y += 10;

  // Totals (right) and amount in words (left).
  const totals: Array<[string, number, boolean]> = [['Taxable value', invoice.subtotal, false]];
  if (intra) totals.push(['CGST', invoice.taxes.cgst, false], [invoice.sgstLabel, invoice.taxes.sgst, false]);
  else totals.push(['IGST', invoice.taxes.igst, false]);
  if (invoice.taxOptions.roundOffToRupee || invoice.roundOff !== 0) totals.push(['Round off', invoice.roundOff, false]);
  totals.push(['Total', invoice.total, true]);
  if (invoice.amountPaid > 0 || invoice.amountCredited > 0) {
    totals.push(['Paid', invoice.amountPaid, false]);
    if (invoice.amountCredited > 0) totals.push(['Credited', invoice.amountCredited, false]);
    totals.push(['Balance due', invoice.balance, true]);
  }
  if (y + totals.length * 14 + 40 > bottom()) {
    doc.addPage();
    y = MARGIN;
  }
  const boxX = right - 220;
  let ty = y;
  for (const [label, value, strong] of totals) {
    if (label === 'Total') {
      doc.moveTo(boxX, ty).lineTo(right, ty).lineWidth(1).strokeColor(look.colour).stroke();
      ty += 3;
    }
    doc.fillColor(TEXT).font(strong ? 'Helvetica-Bold' : 'Helvetica').fontSize(strong ? 10 : 9);
    doc.text(label, boxX, ty, { width: 100 });
    doc.text(rs(value), boxX + 100, ty, { width: 120, align: 'right' });
    ty += strong ? 15 : 13;
  }
  doc.fillColor(GREY).font('Helvetica').fontSize(8).text('Amount in words', MARGIN, y, { width: boxX - MARGIN - 16 });
  doc.fillColor(TEXT).font('Helvetica-Oblique').fontSize(9).text(t(invoice.amountInWords), MARGIN, doc.y + 1, { width: boxX - MARGIN - 16 });
  let ly = doc.y + 6;
  if (look.terms.length > 0) {
    doc.fillColor(look.colour).font('Helvetica-Bold').fontSize(8).text('TERMS', MARGIN, ly, { width: boxX - MARGIN - 16 });
    doc.fillColor(TEXT).font('Helvetica').fontSize(8);
    look.terms.forEach((term, i) => doc.text(t(`${i + 1}. ${term}`), MARGIN, doc.y + 1, { width: boxX - MARGIN - 16 }));
    ly = doc.y + 6;
  }
  if (invoice.notes) {
    doc.fillColor(TEXT).font('Helvetica').fontSize(8).text(t(invoice.notes), MARGIN, ly, { width: boxX - MARGIN - 16 });
    ly = doc.y + 6;
  }
  y = Math.max(ty, ly) + 16;

  // Bank details (left) and signature (right).
  if (y + 110 > bottom()) {
    doc.addPage();
    y = MARGIN;
  }
  const bank = look.bankDetails;
  const bankRows: Array<[string, string | undefined]> = [
    ['Account name', bank?.accountName],
    ['Bank', bank?.bankName],
    ['Account number', bank?.accountNumber],
    ['IFSC', bank?.ifsc],
    ['Branch', bank?.branch],
    ['UPI', bank?.upiId],
  ];
  doc.fillColor(look.colour).font('Helvetica-Bold').fontSize(8).text('BANK DETAILS', MARGIN, y, { width: half });
  let by = doc.y + 2;
  for (const [label, value] of bank ? bankRows.filter(([, v]) => v) : bankRows.slice(0, 4)) {
    doc.fillColor(GREY).font('Helvetica').fontSize(9).text(`${label}:`, MARGIN, by, { width: 90 });
    if (value) doc.fillColor(TEXT).text(t(value), MARGIN + 92, by, { width: half - 92 });
    else doc.moveTo(MARGIN + 92, by + 9).lineTo(MARGIN + half, by + 9).lineWidth(0.5).strokeColor('#999999').stroke();
    by += 13;
  }
  let sy = y;
  doc.fillColor(TEXT).font('Helvetica').fontSize(9);
  if (look.declaration) {
    doc.text(t(look.declaration), metaX, sy, { width: half, align: 'right' });
    sy = doc.y + 4;
  }
  doc.text(t(`For ${invoice.supplier.name}`), metaX, sy, { width: half, align: 'right' });
  doc.text(t(look.signatoryLabel), metaX, doc.y + 40, { width: half, align: 'right' });

  const footer = `${look.footer ? `${look.footer}  |  ` : ''}This is a computer-generated invoice.`;
  doc.fillColor(GREY).font('Helvetica').fontSize(7).text(t(footer), MARGIN, doc.page.height - MARGIN - 20, { width, align: 'center', lineBreak: false });
}
