#!/usr/bin/python3
"""Checks that a docker-compose file keeps Dialtone's internal surfaces internal.

Reads the output of `docker-compose config` (every profile's services, variables
resolved) on stdin and fails when:
  - any service publishes a gRPC port (50050-50099, or a port a service's
    DIALTONE_GRPC_ADDR names) or a metrics port (9100-9199, or a port of a
    DIALTONE_METRICS_ADDR), as the published or the container port;
  - a service on the host's network (network_mode: host, where listening is
    publishing) binds gRPC or metrics to anything but loopback;
  - a Dialtone service does not pass DIALTONE_GRPC_TLS_* through.

    docker-compose config | check_compose_surfaces.py

Prints what it checked; exits 1 listing every violation.
"""

import sys

import yaml

GRPC_RANGE = range(50050, 50100)
METRICS_RANGE = range(9100, 9200)
LOOPBACK = ("127.0.0.1", "localhost", "[::1]")
TLS_VARS = ("DIALTONE_GRPC_TLS_CERT", "DIALTONE_GRPC_TLS_KEY", "DIALTONE_GRPC_TLS_CA",
            "DIALTONE_GRPC_TLS_SERVER_NAME")
DIALTONE_BINARIES = ("call-router", "media-layer", "rest-gateway", "usage-metering", "triggers")


def environment(service):
    env = service.get("environment") or {}
    if isinstance(env, list):  # ["NAME=value", ...]
        env = dict(e.split("=", 1) if "=" in e else (e, "") for e in env)
    return {k: "" if v is None else str(v) for k, v in env.items()}


def port_range(text):
    """'50051' or '50051-50053' -> range; '' -> empty range."""
    text = str(text).split("/")[0]
    if not text:
        return range(0)
    low, _, high = text.partition("-")
    return range(int(low), int(high or low) + 1)


def published(entry):
    """(host address, published ports, container ports) of one `ports:` entry."""
    if isinstance(entry, dict):  # long syntax
        return (str(entry.get("host_ip", "")), port_range(entry.get("published", "")),
                port_range(entry.get("target", "")))
    text = str(entry).split("/")[0]
    if text.startswith("["):  # [::1]:8080:80
        host, _, rest = text[1:].partition("]:")
        pub, _, target = rest.partition(":")
        return host, port_range(pub), port_range(target)
    parts = text.split(":")
    if len(parts) == 1:  # container port only: published on a random host port
        return "", range(0), port_range(parts[0])
    if len(parts) == 2:
        return "", port_range(parts[0]), port_range(parts[1])
    return parts[0], port_range(parts[1]), port_range(parts[2])


def main():
    config = yaml.safe_load(sys.stdin)
    services = (config or {}).get("services") or {}
    errors = []
    if not services:
        errors.append("no services in the compose configuration")

    grpc_ports, metrics_ports = set(GRPC_RANGE), set(METRICS_RANGE)
    for name, service in services.items():
        env = environment(service)
        for var, into in (("DIALTONE_GRPC_ADDR", grpc_ports), ("DIALTONE_METRICS_ADDR", metrics_ports)):
            port = env.get(var, "").rpartition(":")[2]
            if port.isdigit():
                into.add(int(port))

    checked = 0
    for name, service in sorted(services.items()):
        env = environment(service)
        for entry in service.get("ports") or []:
            host, pub, target = published(entry)
            for kind, ports in (("gRPC", grpc_ports), ("metrics", metrics_ports)):
                hit = sorted(ports & (set(pub) | set(target)))
                if hit:
                    errors.append(f"{name}: publishes {kind} port {hit[0]} ({entry!r})")
            checked += 1
        if service.get("network_mode") == "host":
            for var in ("DIALTONE_GRPC_ADDR", "DIALTONE_METRICS_ADDR"):
                if var in env:
                    host = env[var].rpartition(":")[0]
                    checked += 1
                    if host not in LOOPBACK:
                        errors.append(f"{name}: {var}={env[var]} listens beyond loopback on the "
                                      "host's network")
        command = service.get("command") or []
        command = command.split() if isinstance(command, str) else command
        if command and command[0] in DIALTONE_BINARIES:
            missing = [v for v in TLS_VARS if v not in env]
            checked += 1
            if missing:
                errors.append(f"{name}: does not pass {', '.join(missing)} through")

    print(f"compose: {len(services)} services, {checked} checks; gRPC ports "
          f"{min(grpc_ports)}-{max(grpc_ports)}, metrics ports {min(metrics_ports)}-"
          f"{max(metrics_ports)} never published, loopback only on the host network")
    if errors:
        print(f"FAIL: {len(errors)} violation(s):", file=sys.stderr)
        for e in errors:
            print(f"  {e}", file=sys.stderr)
        return 1
    print("OK: no internal surface published")
    return 0


if __name__ == "__main__":
    sys.exit(main())
