export * from './constants.js';
export * from './domain.js';
export * from './events.js';
export * from './requests.js';
export * from './responses.js';
export { externalId, httpUrl, isoDateTime, lineText, multilineText } from './text.js';
export * from './policy.js';
export * from './webhooks.js';
