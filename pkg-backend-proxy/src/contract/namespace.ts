/**
 * Where the proxy runs worker Pods unless FLOWKUBE_NAMESPACE says otherwise; the plugin's log and metric queries
 * select by it, and so do the alert rules.
 */
export const DEFAULT_NAMESPACE = 'flowkube-jobs';
