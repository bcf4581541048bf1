export type { TransitionName } from '@resolutionflow/types';
export { ApiClient, type ApiClientOptions, type ListQuery } from './api-client.js';
export { ApiError } from './api-error.js';
export { backoffDelay } from './backoff.js';
export { configure, getConfig, onConfigChange, type WidgetConfig } from './config.js';
export {
  LiveConnection,
  type ConnectionStatus,
  type LiveConnectionOptions,
  type LiveListener,
} from './live-connection.js';
export { liveConnection } from './live-registry.js';
export { TokenSource, type TokenProvider, type TokenSettings } from './tokens.js';
