#!/usr/bin/env bash
# Validates the deployment manifests without a Docker engine or a cluster:
# docker-compose.yml through `docker-compose config -q` (the same parser
# `docker-compose up` uses) and check_compose_surfaces.py (no gRPC or metrics
# port published), deploy/k8s through check_k8s_manifests.py (NetworkPolicies
# included). Each surface check is also run on broken copies it must refuse.
#
# CTest sets DIALTONE_SOURCE_DIR; run by hand, the repo is found from here.
# Fails when docker-compose is missing: scripts/dev setup installs it, so a missing one is a bug.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source_dir="${DIALTONE_SOURCE_DIR:-$(cd "${here}/../.." && pwd)}"
compose_file="${source_dir}/docker-compose.yml"
k8s_dir="${source_dir}/deploy/k8s"
# System python: PyYAML comes from Debian's python3-yaml, which a pyenv
# interpreter earlier on PATH would not see.
python="${DIALTONE_PYTHON:-/usr/bin/python3}"

echo "== docker-compose config -q: ${compose_file}"
if ! command -v docker-compose >/dev/null 2>&1; then
  echo "FAIL: docker-compose is not installed (scripts/dev setup installs it)" >&2
  exit 1
fi
if [[ ! -f "${compose_file}" ]]; then
  echo "FAIL: ${compose_file} does not exist" >&2
  exit 1
fi
# --project-directory pins relative paths (the build context) to the repo
# wherever CTest runs the script from.
if ! docker-compose --project-directory "${source_dir}" -f "${compose_file}" \
    config -q; then
  echo "FAIL: ${compose_file} is not a valid compose file (see above)" >&2
  exit 1
fi
services="$(docker-compose --project-directory "${source_dir}" -f "${compose_file}" \
  config --services | sort | tr '\n' ' ' | sed 's/ $//')"
echo "OK: services ${services}"
for service in call-router media-layer rest-gateway usage-metering triggers redis postgres; do
  if [[ " ${services} " != *" ${service} "* ]]; then
    echo "FAIL: ${compose_file} has no service ${service}" >&2
    exit 1
  fi
done

if ! "${python}" -c 'import yaml' 2>/dev/null; then
  echo "FAIL: ${python} cannot import yaml (apt-get install python3-yaml)" >&2
  exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT

# expect_violation WHAT EXPECTED COMMAND...: COMMAND must fail, naming EXPECTED. Proves that
# the checks would catch the mistake, not only that today's files pass.
expect_violation() {
  local what="$1" expected="$2"
  shift 2
  if "$@" >"${work}/out" 2>&1; then
    echo "FAIL: the check passed a manifest where ${what}" >&2
    exit 1
  fi
  if ! grep -qF -- "${expected}" "${work}/out"; then
    echo "FAIL: where ${what}, the check did not say \"${expected}\":" >&2
    cat "${work}/out" >&2
    exit 1
  fi
  echo "OK: refused where ${what}"
}

# Internal surfaces (issue 21): no published gRPC or metrics port, loopback only on the host
# network, DIALTONE_GRPC_TLS_* passed through.
echo "== docker-compose config: internal surfaces"
check_compose() { "${python}" "${here}/check_compose_surfaces.py" <"$1"; }
compose_config() {
  docker-compose --project-directory "${source_dir}" -f "${compose_file}" "$@" config
}
compose_config >"${work}/compose.yml"
check_compose "${work}/compose.yml"
cat >"${work}/publish-grpc.yml" <<'YAML'
version: "3.8"
services:
  postgres:
    ports:
      - "127.0.0.1:50054:50054"
YAML
compose_config -f "${work}/publish-grpc.yml" >"${work}/publish-grpc.out"
expect_violation "a gRPC port is published" "postgres: publishes gRPC port 50054" \
  check_compose "${work}/publish-grpc.out"
cat >"${work}/publish-metrics.yml" <<'YAML'
version: "3.8"
services:
  redis:
    ports:
      - target: 9104
        published: 19104
YAML
compose_config -f "${work}/publish-metrics.yml" >"${work}/publish-metrics.out"
expect_violation "a metrics port is published" "redis: publishes metrics port 9104" \
  check_compose "${work}/publish-metrics.out"
cat >"${work}/grpc-everywhere.yml" <<'YAML'
version: "3.8"
services:
  triggers:
    environment:
      DIALTONE_GRPC_ADDR: 0.0.0.0:50055
YAML
compose_config -f "${work}/grpc-everywhere.yml" >"${work}/grpc-everywhere.out"
expect_violation "gRPC listens on every address of the host network" \
  "triggers: DIALTONE_GRPC_ADDR=0.0.0.0:50055 listens beyond loopback" \
  check_compose "${work}/grpc-everywhere.out"

echo "== Kubernetes manifests: ${k8s_dir}"
"${python}" "${here}/check_k8s_manifests.py" "${k8s_dir}"

# NetworkPolicy mistakes the schema check must refuse, each in a copy of deploy/k8s.
# mutate_k8s NAME POLICY STATEMENT: the copy ${work}/NAME, where STATEMENT (Python) has changed
# the spec `p` of NetworkPolicy POLICY.
mutate_k8s() {
  rm -rf "${work:?}/$1"
  cp -r "${k8s_dir}" "${work}/$1"
  "${python}" - "${work}/$1/network-policies.yaml" "$2" "$3" <<'PY'
import sys
import yaml
path, name, statement = sys.argv[1:]
docs = list(yaml.safe_load_all(open(path)))
specs = [d["spec"] for d in docs if d and d["metadata"]["name"] == name]
assert len(specs) == 1, f"no NetworkPolicy {name}"
exec(statement, {"p": specs[0]})
open(path, "w").write(yaml.safe_dump_all(docs, sort_keys=False))
PY
}
check_k8s() { "${python}" "${here}/check_k8s_manifests.py" "${work}/$1"; }

mutate_k8s grpc-from-anyone grpc-between-services "del p['ingress'][0]['from']"
expect_violation "gRPC is open to every source" "gRPC port grpc/TCP is open wider" \
  check_k8s grpc-from-anyone
mutate_k8s grpc-from-kamailio grpc-between-services \
  "p['ingress'][0]['from'][0]['podSelector']['matchExpressions'][0]['values'].append('kamailio')"
expect_violation "Kamailio may reach gRPC" "gRPC port grpc/TCP is open wider" \
  check_k8s grpc-from-kamailio
mutate_k8s grpc-from-namespaces grpc-between-services \
  "p['ingress'][0]['from'][0]['namespaceSelector'] = {}"
expect_violation "gRPC is open to every namespace" "gRPC port grpc/TCP is open wider" \
  check_k8s grpc-from-namespaces
mutate_k8s grpc-port-number grpc-between-services "p['ingress'][0]['ports'][0]['port'] = 50051"
expect_violation "one service's gRPC port is left uncovered" \
  "Deployment/media-layer: port grpc/TCP is allowed by no NetworkPolicy" check_k8s grpc-port-number
mutate_k8s metrics-from-anyone metrics-from-monitoring \
  "p['ingress'][0]['from'] = [{'namespaceSelector': {}}]"
expect_violation "metrics are open to every namespace" "metrics port metrics/TCP is open wider" \
  check_k8s metrics-from-anyone
mutate_k8s no-default-deny default-deny-ingress "p['ingress'] = [{}]"
expect_violation "there is no default-deny" "no default-deny for ingress" check_k8s no-default-deny
mutate_k8s no-public-http public-http "p['ingress'][0]['ports'][0]['port'] = 'https'"
expect_violation "the REST port is cut off" \
  "Deployment/rest-gateway: port http/TCP is allowed by no NetworkPolicy" check_k8s no-public-http
mutate_k8s no-rtp public-rtp "p['ingress'][0]['ports'][0]['endPort'] = 20001"
expect_violation "the RTP range is cut off" "RTP port 29999/UDP" check_k8s no-rtp
