#!/bin/sh
# One-shot set-up of the compose stack's k3s, run by the `k3s-setup` service (rancher/k3s image: busybox sh + kubectl):
# applies k8s/overlays/compose and hands out credentials on the shared `flowkube-creds` volume:
#   /flowkube/proxy/kubeconfig           the flowkube-proxy ServiceAccount (the same Role as in-cluster), server k3s:6443
#   /flowkube/fluent-bit/{token,ca.crt}  Fluent Bit's kubernetes filter (get Pods in flowkube-jobs)
#   /flowkube/prometheus/client.{crt,key} k3s' admin client certificate, for scraping the kubelet's cAdvisor
# The files are world-readable because the readers run as different non-root users; this is a throwaway local stack.
set -eu

ADMIN_KUBECONFIG=/k3s-output/kubeconfig.yaml
OUT=/flowkube
export KUBECONFIG=/tmp/admin.kubeconfig

# k3s writes its kubeconfig for 127.0.0.1; other containers reach it by its service name (in its certificate's SANs
# through --tls-san=k3s).
sed 's#https://127.0.0.1:6443#https://k3s:6443#' "$ADMIN_KUBECONFIG" > "$KUBECONFIG"

kubectl apply -k /manifests/overlays/compose

# The token controller fills ServiceAccount token Secrets asynchronously.
secret_field() {
  kubectl -n "$1" get secret "$2" -o "jsonpath={.data.$3}"
}
wait_token() {
  i=0
  until [ -n "$(secret_field "$1" "$2" token)" ]; do
    i=$((i + 1))
    if [ "$i" -gt 60 ]; then
      echo "k3s-setup: the token of Secret $1/$2 was not filled within 60 s" >&2
      exit 1
    fi
    sleep 1
  done
}
wait_token flowkube-admin flowkube-proxy-token
wait_token flowkube-monitoring fluent-bit-token

umask 022
mkdir -p "$OUT/proxy" "$OUT/fluent-bit" "$OUT/prometheus"

cat > "$OUT/proxy/kubeconfig" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
  - name: k3s
    cluster:
      server: https://k3s:6443
      certificate-authority-data: $(secret_field flowkube-admin flowkube-proxy-token 'ca\.crt')
users:
  - name: flowkube-proxy
    user:
      token: $(secret_field flowkube-admin flowkube-proxy-token token | base64 -d)
contexts:
  - name: flowkube
    context:
      cluster: k3s
      user: flowkube-proxy
      namespace: flowkube-jobs
current-context: flowkube
KUBECONFIG

secret_field flowkube-monitoring fluent-bit-token token | base64 -d > "$OUT/fluent-bit/token"
secret_field flowkube-monitoring fluent-bit-token 'ca\.crt' | base64 -d > "$OUT/fluent-bit/ca.crt"

kubectl config view --raw -o 'jsonpath={.users[0].user.client-certificate-data}' | base64 -d > "$OUT/prometheus/client.crt"
kubectl config view --raw -o 'jsonpath={.users[0].user.client-key-data}' | base64 -d > "$OUT/prometheus/client.key"

chmod 0644 "$OUT"/*/*
echo "k3s-setup: manifests applied, credentials written to $OUT"
