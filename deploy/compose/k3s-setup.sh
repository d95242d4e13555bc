#!/bin/sh
# One-shot set-up of the compose stack's k3s, run by the `k3s-setup` service (rancher/k3s image: busybox sh + kubectl):
# applies monitoring/00-namespace.yaml and k8s/overlays/compose and hands out credentials on the shared `flowkube-creds` volume:
#   /flowkube/proxy/kubeconfig           the flowkube-proxy ServiceAccount (the same Role as in-cluster), server k3s:6443
#   /flowkube/kube-state-metrics/kubeconfig  list/watch Pods, CronJobs, Jobs in flowkube-jobs (kube_pod_labels, schedules)
#   /flowkube/fluent-bit/{token,ca.crt}  Fluent Bit's kubernetes filter (get Pods in flowkube-jobs)
#   /flowkube/prometheus/client.{crt,key} k3s' admin client certificate, for scraping the kubelet's cAdvisor
# The files are world-readable because the readers run as different non-root users; this is a throwaway local stack.
set -eu

# Paths are those of the compose service's mounts; tests/deploy/k3s-setup.test.ts points them at a temporary folder.
ADMIN_KUBECONFIG=${ADMIN_KUBECONFIG:-/k3s-output/kubeconfig.yaml}
MANIFESTS=${MANIFESTS:-/manifests}
MONITORING_NAMESPACE=${MONITORING_NAMESPACE:-/monitoring/00-namespace.yaml}
OUT=${FLOWKUBE_CREDS_DIR:-/flowkube}
TOKEN_WAIT_SECONDS=${TOKEN_WAIT_SECONDS:-60}
export KUBECONFIG="${TMPDIR:-/tmp}/admin.kubeconfig"

# k3s writes its kubeconfig for 127.0.0.1; other containers reach it by its service name (in its certificate's SANs
# through --tls-san=k3s).
sed 's#https://127.0.0.1:6443#https://k3s:6443#' "$ADMIN_KUBECONFIG" > "$KUBECONFIG"

# The overlay puts Fluent Bit's and kube-state-metrics' ServiceAccounts into flowkube-monitoring, which is not part
# of the FlowKube kustomization (so that `kubectl delete -k` cannot take the monitoring stack with it): create it first.
kubectl apply -f "$MONITORING_NAMESPACE"
kubectl apply -k "$MANIFESTS/overlays/compose"

# The token controller fills ServiceAccount token Secrets asynchronously.
secret_field() {
  kubectl -n "$1" get secret "$2" -o "jsonpath={.data.$3}"
}
wait_token() {
  i=0
  until [ -n "$(secret_field "$1" "$2" token)" ]; do
    i=$((i + 1))
    if [ "$i" -gt "$TOKEN_WAIT_SECONDS" ]; then
      echo "k3s-setup: the token of Secret $1/$2 was not filled within $TOKEN_WAIT_SECONDS s" >&2
      exit 1
    fi
    sleep 1
  done
}
wait_token flowkube-admin flowkube-proxy-token
wait_token flowkube-monitoring fluent-bit-token
wait_token flowkube-monitoring kube-state-metrics-token

umask 022
mkdir -p "$OUT/proxy" "$OUT/kube-state-metrics" "$OUT/fluent-bit" "$OUT/prometheus"

# A kubeconfig for a ServiceAccount token Secret: write_kubeconfig <namespace> <secret> <user> <file>
write_kubeconfig() {
  cat > "$4" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
  - name: k3s
    cluster:
      server: https://k3s:6443
      certificate-authority-data: $(secret_field "$1" "$2" 'ca\.crt')
users:
  - name: $3
    user:
      token: $(secret_field "$1" "$2" token | base64 -d)
contexts:
  - name: flowkube
    context:
      cluster: k3s
      user: $3
      namespace: flowkube-jobs
current-context: flowkube
KUBECONFIG
}
write_kubeconfig flowkube-admin flowkube-proxy-token flowkube-proxy "$OUT/proxy/kubeconfig"
write_kubeconfig flowkube-monitoring kube-state-metrics-token kube-state-metrics "$OUT/kube-state-metrics/kubeconfig"

secret_field flowkube-monitoring fluent-bit-token token | base64 -d > "$OUT/fluent-bit/token"
secret_field flowkube-monitoring fluent-bit-token 'ca\.crt' | base64 -d > "$OUT/fluent-bit/ca.crt"

kubectl config view --raw -o 'jsonpath={.users[0].user.client-certificate-data}' | base64 -d > "$OUT/prometheus/client.crt"
kubectl config view --raw -o 'jsonpath={.users[0].user.client-key-data}' | base64 -d > "$OUT/prometheus/client.key"

chmod 0644 "$OUT"/*/*
echo "k3s-setup: manifests applied, credentials written to $OUT"
