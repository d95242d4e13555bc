// The proxy's contract is the single source of truth for the API; the plugin only imports its types.
export type * from '@flowkube/backend-proxy/contract';
