export { razorpayConnector } from './razorpay-connector.ts';
export { parseRazorpayWebhook } from './parse-razorpay-webhook.ts';
