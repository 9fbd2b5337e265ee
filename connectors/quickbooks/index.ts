export { quickbooksConnector } from './quickbooks-connector.ts';
export { quickbooksConfigSchema, quickbooksCredentialsSchema, INTUIT_TOKEN_URL, type QuickBooksConfig, type QuickBooksCredentials } from './quickbooks-settings.ts';
export { QUICKBOOKS_LIMITS } from './quickbooks-limits.ts';
export { VersionConflictVendorError } from './version-conflict-vendor-error.ts';
export { linkedInvoicesOf, readPaymentApplication, type InvoiceApplication, type PaymentApplication } from './payment-application.ts';
