/** One person at the client who receives invoices, with the addresses they read. */
export interface InvoiceRecipient {
  name?: string;
  email?: string;
  phone?: string;
  whatsapp?: string;
}

/** One invoice (or payment reminder) to hand to the notification layer. */
export interface InvoiceDistribution {
  tenantId: string;
  invoiceId: string;
  invoiceNumber: string;
  milestoneId: string;
  projectId?: string;
  kind: 'invoice' | 'reminder';
  /** Makes a repeated request (a redelivered event, a second sweep) a no-op. */
  dedupeKey: string;
  recipient: InvoiceRecipient;
  /** Paise: the total for an invoice, the balance outstanding for a reminder. */
  amount: number;
  dueOn: string;
  /** For a reminder: whole days from the due day to today in the tenant's zone (negative before it). */
  daysFromDue?: number;
  clientName: string;
  projectName?: string;
  milestoneTitle: string;
  /** Where the invoice can be read (WhatsApp and SMS carry this instead of the file). */
  link: string;
  /** The PDF, attached to email. */
  pdf: { filename: string; content: Buffer };
}

/** What became of one distribution request. */
export interface DistributionReceipt {
  /** The notification layer's id, for delivery status. */
  notificationId?: string;
  status: 'queued' | 'sent' | 'delivered' | 'failed';
  error?: string;
}

/**
 * The seam between invoicing and the notification layer: invoicing decides what goes to whom;
 * the distributor queues it on the client's channels (email with the PDF, WhatsApp with a link),
 * retries and escalates failures.
 */
export interface InvoiceDistributor {
  distribute(request: InvoiceDistribution): Promise<DistributionReceipt>;
}
