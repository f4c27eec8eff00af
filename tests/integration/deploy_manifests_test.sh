#!/usr/bin/env bash
# Validates the deployment manifests without a Docker engine or a cluster:
# docker-compose.yml through `docker-compose config -q` (the same parser
# `docker-compose up` uses), deploy/k8s through check_k8s_manifests.py.
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

echo "== Kubernetes manifests: ${k8s_dir}"
if ! "${python}" -c 'import yaml' 2>/dev/null; then
  echo "FAIL: ${python} cannot import yaml (apt-get install python3-yaml)" >&2
  exit 1
fi
"${python}" "${here}/check_k8s_manifests.py" "${k8s_dir}"
