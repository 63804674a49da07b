#!/bin/sh
# Applies a release in the order it needs, without Helm: settings, the migration Job (waited
# for; a failed migration stops here and the running release keeps serving), then the API and
# worker Deployments, rolled one pod at a time. The `steward` Secret must exist (config.yaml).
#   infra/k8s/deploy.sh [kubectl options, e.g. -n steward --context prod]
set -eu
cd "$(dirname "$0")"
k() { kubectl "$@" ${KUBECTL_ARGS:-}; }
KUBECTL_ARGS="$*"

k apply -f config.yaml
k apply -f migrate-job.yaml
job=$(k get -f migrate-job.yaml -o name)
echo "waiting for $job"
while :; do
  state=$(k get "$job" -o 'jsonpath={.status.conditions[?(@.status=="True")].type}')
  case "$state" in
    *Complete*) break ;;
    *Failed*) k logs "$job" --tail=100 || true; echo "$job failed; nothing rolled" >&2; exit 1 ;;
  esac
  sleep 5
done
k apply -f api.yaml -f worker.yaml
k rollout status deployment/steward-api --timeout=10m
k rollout status deployment/steward-worker --timeout=15m
