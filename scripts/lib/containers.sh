# Container images and the compose stack, for `scripts/dev image|compose` and tests/deploy.
# Source after scripts/lib/stores.sh. Works with Docker where a daemon answers, else with Debian's
# podman as root (README, "Containers"): podman's settings are deploy/podman/containers.conf,
# and docker-compose talks to podman through `podman system service` (a Docker-API socket).

DT_ROOT=${DT_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
DT_IMAGE=${DIALTONE_IMAGE:-dialtone:dev}
# Images of Redis and PostgreSQL built from Debian's packages (deploy/docker/*.Dockerfile), for
# machines without an image registry; docker-compose.yml defaults to the public redis:7 and
# postgres:15, and `scripts/dev compose` uses these unless DIALTONE_REDIS_IMAGE /
# DIALTONE_POSTGRES_IMAGE name others.
DT_LOCAL_REDIS_IMAGE=dialtone-redis:7-debian
DT_LOCAL_POSTGRES_IMAGE=dialtone-postgres:15-debian
DT_CONTAINER_PACKAGES=(podman runc buildah debootstrap docker-compose containernetworking-plugins
  golang-github-containernetworking-plugin-dnsname iptables uidmap)
DT_DEBIAN_MIRROR=${DIALTONE_DEBIAN_MIRROR:-http://deb.debian.org/debian}

# The engine: docker when a Docker daemon answers (or DIALTONE_CONTAINER_ENGINE=docker), else
# podman. Decided once, here, before DOCKER_HOST may point docker's client at podman's socket.
if [[ -z ${DT_ENGINE:-} ]]; then
  DT_ENGINE=${DIALTONE_CONTAINER_ENGINE:-}
  if [[ -z $DT_ENGINE ]]; then
    if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then DT_ENGINE=docker
    else DT_ENGINE=podman; fi
  fi
fi
dt_engine() { printf '%s' "$DT_ENGINE"; }

# dt_ctr ARGS...: the container engine (podman with this project's settings).
dt_ctr() {
  if [[ $(dt_engine) == podman ]]; then
    CONTAINERS_CONF=$DT_ROOT/deploy/podman/containers.conf podman "$@"
  else
    docker "$@"
  fi
}

dt_image_exists() { dt_ctr image inspect "$1" >/dev/null 2>&1; }

dt_image_size() {  # IMAGE -> its size, e.g. "212 MB"
  local bytes
  bytes=$(dt_ctr image inspect --format '{{.Size}}' "$1")
  printf '%s MB' $(((bytes + 500000) / 1000000))
}

# dt_container_setup: the packages podman and the compose path need (apt, idempotent).
dt_container_setup() {
  local missing=() p pkgs=(docker-compose)
  [[ $(dt_engine) == podman ]] && pkgs=("${DT_CONTAINER_PACKAGES[@]}")
  for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  [[ $(id -u) -eq 0 ]] || dt_die "installing ${missing[*]} needs root (podman runs containers as root here)"
  dt_log "installing ${#missing[@]} packages: ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# dt_build_base_images: debian:12 and debian:12-slim from Debian's mirror with debootstrap, when
# the engine has neither (no registry here). -slim is the same system without documentation,
# manual pages and translations, and keeps them out of later apt installs, as Debian's
# official -slim images do.
dt_build_base_images() {
  if dt_image_exists debian:12 && dt_image_exists debian:12-slim; then
    dt_log "base images debian:12 and debian:12-slim: present"
    return 0
  fi
  [[ $(id -u) -eq 0 ]] || dt_die "debootstrap needs root to build the base image"
  local dir start=$SECONDS
  dir=$(mktemp -d /var/tmp/dialtone-base.XXXXXX)
  # shellcheck disable=SC2064
  trap "rm -rf '$dir'" RETURN
  dt_log "building base image debian:12 with debootstrap from $DT_DEBIAN_MIRROR (about 2 minutes)"
  debootstrap --variant=minbase bookworm "$dir/root" "$DT_DEBIAN_MIRROR" >"$dir/debootstrap.log" 2>&1 \
    || { tail -n 20 "$dir/debootstrap.log" >&2; dt_die "debootstrap failed"; }
  cat >"$dir/root/etc/apt/sources.list" <<EOF
deb $DT_DEBIAN_MIRROR bookworm main
deb $DT_DEBIAN_MIRROR bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
EOF
  # As in Debian's official images: no package caches, no recommends.
  printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' \
    >"$dir/root/etc/apt/apt.conf.d/90dialtone-no-recommends"
  rm -rf "$dir/root/var/cache/apt/archives/"*.deb "$dir/root/var/lib/apt/lists/"*
  tar -C "$dir/root" -c . | dt_ctr import --change 'CMD ["bash"]' - debian:12 >/dev/null
  cat >"$dir/root/etc/dpkg/dpkg.cfg.d/90dialtone-slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
EOF
  find "$dir/root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
  rm -rf "$dir/root/usr/share/man/"* "$dir/root/usr/share/info/"* "$dir/root/usr/share/locale/"*
  tar -C "$dir/root" -c . | dt_ctr import --change 'CMD ["bash"]' - debian:12-slim >/dev/null
  dt_log "base images debian:12 ($(dt_image_size debian:12)) and debian:12-slim ($(dt_image_size debian:12-slim)) built in $((SECONDS - start)) s"
}

# dt_build IMAGE DOCKERFILE CONTEXT [BUILD ARGS...]: one image, in the Docker format (the OCI
# format has no HEALTHCHECK). Output goes to $DT_BUILD_LOG when set.
dt_build() {
  local image=$1 file=$2 context=$3 log=${DT_BUILD_LOG:-/dev/stderr} start=$SECONDS
  shift 3
  local args=(-f "$file" -t "$image")
  [[ -z ${DT_BUILD_TARGET:-} ]] || args+=(--target "$DT_BUILD_TARGET")
  local a
  for a in "$@"; do args+=(--build-arg "$a"); done
  dt_log "building $image ($file)"
  if [[ $(dt_engine) == podman ]]; then
    dt_ctr build --format docker --layers "${args[@]}" "$context" >>"$log" 2>&1 \
      || { [[ $log == /dev/stderr ]] || tail -n 40 "$log" >&2; dt_die "building $image failed (log: $log)"; }
  else
    DOCKER_BUILDKIT=1 docker build "${args[@]}" "$context" >>"$log" 2>&1 \
      || { [[ $log == /dev/stderr ]] || tail -n 40 "$log" >&2; dt_die "building $image failed (log: $log)"; }
  fi
  dt_log "built $image: $(dt_image_size "$image") in $((SECONDS - start)) s"
}

dt_build_store_images() {
  dt_build "$DT_LOCAL_REDIS_IMAGE" "$DT_ROOT/deploy/docker/redis.Dockerfile" "$DT_ROOT/deploy/docker"
  dt_build "$DT_LOCAL_POSTGRES_IMAGE" "$DT_ROOT/deploy/docker/postgres.Dockerfile" "$DT_ROOT/deploy/docker"
}

# dt_build_dialtone_image: the suite's image from deploy/docker/Dockerfile (compiles the project
# inside; ccache keeps its cache in a build cache mount, so a rebuild recompiles only what changed).
# The build stage is tagged too ($DT_BUILD_IMAGE): an untagged stage would be pruned below with
# the images a rebuild replaced, and the next build would start again from its first step.
DT_BUILD_IMAGE=${DT_IMAGE%%:*}-build:${DT_IMAGE##*:}
dt_build_dialtone_image() {
  local args=("$DT_ROOT/deploy/docker/Dockerfile" "$DT_ROOT" "BUILD_JOBS=${DIALTONE_JOBS:-2}")
  DT_BUILD_TARGET=build dt_build "$DT_BUILD_IMAGE" "${args[@]}"
  dt_build "$DT_IMAGE" "${args[@]}"
  dt_ctr image prune -f >/dev/null 2>&1 || true
}

# --- compose ---------------------------------------------------------------------------------

# dt_compose_service_start DIR: with podman, a Docker-API socket for docker-compose under DIR
# (podman system service, its pid in DIR/podman.pid); exports DOCKER_HOST. Docker: nothing.
dt_compose_socket_start() {
  local dir=$1 i
  [[ $(dt_engine) == podman ]] || return 0
  mkdir -p "$dir"
  export DOCKER_HOST=unix://$dir/podman.sock
  if [[ -f $dir/podman.pid ]] && kill -0 "$(cat "$dir/podman.pid")" 2>/dev/null && [[ -S $dir/podman.sock ]]; then
    return 0
  fi
  rm -f "$dir/podman.sock"
  # --time 0: serve until stopped (dt_compose_socket_stop).
  CONTAINERS_CONF=$DT_ROOT/deploy/podman/containers.conf nohup podman system service --time 0 \
    "$DOCKER_HOST" >>"$dir/podman-service.log" 2>&1 </dev/null &
  echo $! >"$dir/podman.pid"
  for i in $(seq 1 100); do
    [[ -S $dir/podman.sock ]] && curl -sf --unix-socket "$dir/podman.sock" http://d/_ping >/dev/null 2>&1 && return 0
    kill -0 "$(cat "$dir/podman.pid")" 2>/dev/null || break
    sleep 0.1
  done
  tail -n 20 "$dir/podman-service.log" >&2
  dt_die "podman system service did not answer on $dir/podman.sock (log: $dir/podman-service.log)"
}

dt_compose_socket_stop() {  # DIR
  local dir=$1 pid i
  [[ -f $dir/podman.pid ]] || return 0
  pid=$(cat "$dir/podman.pid")
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  rm -f "$dir/podman.pid" "$dir/podman.sock"
}
