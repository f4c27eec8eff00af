#!/usr/bin/python3
"""Offline schema check for the Kubernetes manifests in deploy/k8s.

No cluster (and no kubeconform) runs where the tests do, so this checks with
PyYAML what a cluster or `kubectl apply -k` would reject, plus Dialtone's own
wiring: probes on the gRPC port, config from the shared ConfigMap and Secret,
Services that reach their Deployment or StatefulSet, a kustomization that lists
every file, and the replicated shape (issue 17): Kamailio in front of two or
more call-routers it names, the routers' drain and preStop timings against
Kamailio's probes, their pod-IP addresses, and media on a ReadWriteMany volume.
NetworkPolicies (issue 21): a default-deny for ingress; every gRPC port reachable
only from Dialtone's service pods, every metrics port only from namespaces
labelled for monitoring; every other declared port (and the RTP range) allowed.

    check_k8s_manifests.py [K8S_DIR]      # default: <repo>/deploy/k8s

Prints each check it makes; exits 1 listing every violation, each prefixed
with the file it was found in.
"""

import os
import re
import sys

import yaml

SERVICES = ("call-router", "media-layer", "rest-gateway", "usage-metering", "triggers")
NAMESPACE = "dialtone"
CONFIG_MAP = "dialtone-config"
SECRET = "dialtone-secrets"

# kind -> apiVersion it must use.
KNOWN_KINDS = {
    "Namespace": "v1",
    "ConfigMap": "v1",
    "Secret": "v1",
    "Service": "v1",
    "PersistentVolumeClaim": "v1",
    "Deployment": "apps/v1",
    "StatefulSet": "apps/v1",
    "NetworkPolicy": "networking.k8s.io/v1",
    "Kustomization": "kustomize.config.k8s.io/v1beta1",
}
CLUSTER_SCOPED = {"Namespace", "Kustomization"}
WORKLOAD_KINDS = ("Deployment", "StatefulSet")

DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")  # RFC 1123, <= 63
PORT_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")  # IANA_SVC_NAME, <= 15
ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
PROTOCOLS = {"TCP", "UDP", "SCTP"}
# The namespace label that lets a namespace's pods scrape metrics (README, "Internal surfaces").
MONITORING_LABEL = ("dialtone.dev/monitoring", "true")

# Field names the API accepts at the levels these manifests use (Kubernetes
# 1.30 API reference), so that a misspelt optional field such as
# `imagePullPolcy` fails here instead of being dropped or rejected at apply time.
FIELDS = {
    "object": {"apiVersion", "kind", "metadata", "spec", "data", "stringData",
               "binaryData", "type", "immutable"},
    "metadata": {"name", "namespace", "labels", "annotations", "generateName",
                 "finalizers", "ownerReferences"},
    "DeploymentSpec": {"replicas", "selector", "template", "strategy", "minReadySeconds",
                       "revisionHistoryLimit", "paused", "progressDeadlineSeconds"},
    "StatefulSetSpec": {"replicas", "selector", "template", "serviceName", "minReadySeconds",
                        "revisionHistoryLimit", "podManagementPolicy", "updateStrategy",
                        "volumeClaimTemplates", "persistentVolumeClaimRetentionPolicy",
                        "ordinals"},
    "PodSpec": {"activeDeadlineSeconds", "affinity", "automountServiceAccountToken",
                "containers", "dnsConfig", "dnsPolicy", "enableServiceLinks",
                "ephemeralContainers", "hostAliases", "hostIPC", "hostNetwork", "hostPID",
                "hostUsers", "hostname", "imagePullSecrets", "initContainers", "nodeName",
                "nodeSelector", "os", "overhead", "preemptionPolicy", "priority",
                "priorityClassName", "readinessGates", "resourceClaims", "restartPolicy",
                "runtimeClassName", "schedulerName", "schedulingGates", "securityContext",
                "serviceAccount", "serviceAccountName", "setHostnameAsFQDN",
                "shareProcessNamespace", "subdomain", "terminationGracePeriodSeconds",
                "tolerations", "topologySpreadConstraints", "volumes"},
    "Container": {"args", "command", "env", "envFrom", "image", "imagePullPolicy",
                  "lifecycle", "livenessProbe", "name", "ports", "readinessProbe",
                  "resizePolicy", "resources", "restartPolicy", "securityContext",
                  "startupProbe", "stdin", "stdinOnce", "terminationMessagePath",
                  "terminationMessagePolicy", "tty", "volumeDevices", "volumeMounts",
                  "workingDir"},
    "ContainerPort": {"containerPort", "hostIP", "hostPort", "name", "protocol"},
    "Probe": {"exec", "failureThreshold", "grpc", "httpGet", "initialDelaySeconds",
              "periodSeconds", "successThreshold", "tcpSocket",
              "terminationGracePeriodSeconds", "timeoutSeconds"},
    "GRPCAction": {"port", "service"},
    "TCPSocketAction": {"port", "host"},
    "Lifecycle": {"postStart", "preStop", "stopSignal"},
    "LifecycleHandler": {"exec", "httpGet", "sleep", "tcpSocket"},
    "ServiceSpec": {"allocateLoadBalancerNodePorts", "clusterIP", "clusterIPs",
                    "externalIPs", "externalName", "externalTrafficPolicy",
                    "healthCheckNodePort", "internalTrafficPolicy", "ipFamilies",
                    "ipFamilyPolicy", "loadBalancerClass", "loadBalancerIP",
                    "loadBalancerSourceRanges", "ports", "publishNotReadyAddresses",
                    "selector", "sessionAffinity", "sessionAffinityConfig",
                    "trafficDistribution", "type"},
    "ServicePort": {"appProtocol", "name", "nodePort", "port", "protocol", "targetPort"},
    "NetworkPolicySpec": {"podSelector", "policyTypes", "ingress", "egress"},
    "NetworkPolicyIngressRule": {"from", "ports"},
    "NetworkPolicyPeer": {"podSelector", "namespaceSelector", "ipBlock"},
    "NetworkPolicyPort": {"port", "endPort", "protocol"},
    "LabelSelector": {"matchLabels", "matchExpressions"},
    "LabelSelectorRequirement": {"key", "operator", "values"},
}


class UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that rejects duplicate mapping keys (PyYAML keeps the last)."""


def _construct_mapping(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep)


UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class Checker:
    def __init__(self, root):
        self.root = root
        self.errors = []
        self.checks = 0
        self.docs = []  # (relative path, index in file, document)

    # -- reporting ----------------------------------------------------------

    def fail(self, path, what, message):
        self.errors.append(f"{path}: {what}: {message}")

    def check(self, condition, path, what, message):
        self.checks += 1
        if not condition:
            self.fail(path, what, message)
        return bool(condition)

    def fields(self, obj, schema, path, what, where):
        """Checks that the mapping `obj` uses only fields of API type `schema`."""
        if not isinstance(obj, dict):
            self.fail(path, what, f"{where} is not a mapping")
            return
        for key in obj:
            self.check(key in FIELDS[schema], path, what,
                       f"{where} has unknown field {key!r} (not in {schema})")

    # -- loading ------------------------------------------------------------

    def manifest_files(self):
        found = []
        for dirpath, dirnames, filenames in os.walk(self.root):
            dirnames.sort()
            for name in sorted(filenames):
                if name.endswith((".yaml", ".yml")):
                    full = os.path.join(dirpath, name)
                    found.append(os.path.relpath(full, self.root))
        return found

    def load(self):
        files = self.manifest_files()
        if not files:
            self.fail(self.root, "folder", "no .yaml manifests found")
        for rel in files:
            try:
                with open(os.path.join(self.root, rel), encoding="utf-8") as f:
                    docs = list(yaml.load_all(f, Loader=UniqueKeyLoader))
            except (OSError, yaml.YAMLError) as e:
                self.fail(rel, "YAML", " ".join(str(e).split()))
                continue
            count = 0
            for i, doc in enumerate(docs):
                if doc is None:  # an empty document between two `---`
                    continue
                count += 1
                self.docs.append((rel, i, doc))
            self.check(count > 0, rel, "file", "contains no YAML document")
        print(f"loaded {len(self.docs)} documents from {len(files)} files in {self.root}")
        for rel in files:
            objects = [self.label(d, i) for r, i, d in self.docs if r == rel]
            print(f"  {rel}: {', '.join(objects) or '(none)'}")
        return files

    # -- generic object shape -----------------------------------------------

    @staticmethod
    def label(doc, i):
        if not isinstance(doc, dict):
            return f"document {i}"
        kind = doc.get("kind", "?")
        meta = doc.get("metadata")
        if isinstance(meta, dict) and meta.get("name"):
            return f"{kind}/{meta['name']}"
        return kind if kind == "Kustomization" else f"{kind} (document {i}, no name)"

    def check_shape(self):
        print("every document: apiVersion, kind, metadata.name, known kind and fields, namespace")
        valid = []
        for rel, i, doc in self.docs:
            what = self.label(doc, i)
            if not self.check(isinstance(doc, dict), rel, what, "is not a mapping"):
                continue
            kind = doc.get("kind")
            if not self.check(isinstance(kind, str) and kind, rel, what, "has no kind"):
                continue
            if not self.check(kind in KNOWN_KINDS, rel, what,
                              f"unknown kind {kind!r} (known: {', '.join(sorted(KNOWN_KINDS))})"):
                continue
            self.check(doc.get("apiVersion") == KNOWN_KINDS[kind], rel, what,
                       f"apiVersion is {doc.get('apiVersion')!r}, expected {KNOWN_KINDS[kind]!r}")
            if kind == "Kustomization":  # kustomize config, not an API object
                valid.append((rel, i, doc))
                continue
            self.fields(doc, "object", rel, what, "the object")
            meta = doc.get("metadata")
            if not self.check(isinstance(meta, dict), rel, what, "has no metadata"):
                continue
            self.fields(meta, "metadata", rel, what, "metadata")
            name = meta.get("name")
            if not self.check(isinstance(name, str) and name, rel, what, "has no metadata.name"):
                continue
            self.check(DNS_LABEL.match(name) and len(name) <= 63, rel, what,
                       f"metadata.name {name!r} is not a DNS-1123 label")
            if kind not in CLUSTER_SCOPED:
                self.check(meta.get("namespace") == NAMESPACE, rel, what,
                           f"metadata.namespace is {meta.get('namespace')!r}, expected {NAMESPACE!r}")
            valid.append((rel, i, doc))
        self.docs = valid

        seen = {}
        for rel, i, doc in self.docs:
            if doc["kind"] == "Kustomization":
                continue
            key = (doc["kind"], doc["metadata"]["name"])
            if key in seen:
                self.fail(rel, f"{key[0]}/{key[1]}", f"also defined in {seen[key]}")
            else:
                seen[key] = rel

    def of_kind(self, kind):
        return [(rel, doc) for rel, _, doc in self.docs if doc["kind"] == kind]

    def workloads(self):
        """Deployments and StatefulSets: what runs pods."""
        return [(rel, doc) for rel, _, doc in self.docs if doc["kind"] in WORKLOAD_KINDS]

    # -- ConfigMap / Secret -------------------------------------------------

    def check_config(self):
        print(f"ConfigMap {CONFIG_MAP} and Secret {SECRET}: exist, string values, env-var keys")
        for kind, name, fields in (("ConfigMap", CONFIG_MAP, ("data",)),
                                   ("Secret", SECRET, ("stringData", "data"))):
            found = [(rel, d) for rel, d in self.of_kind(kind) if d["metadata"]["name"] == name]
            if not self.check(found, self.root, f"{kind}/{name}", "not defined in any manifest"):
                continue
            rel, doc = found[0]
            what = f"{kind}/{name}"
            entries = {}
            for field in fields:
                value = doc.get(field) or {}
                if self.check(isinstance(value, dict), rel, what, f"{field} is not a mapping"):
                    entries.update(value)
            self.check(entries, rel, what, "has no entries")
            for key, value in entries.items():
                self.check(isinstance(key, str) and ENV_NAME.match(key), rel, what,
                           f"key {key!r} is not a valid environment variable name")
                self.check(isinstance(value, str), rel, what,
                           f"{key} must be a string (quote it), got {type(value).__name__}")

    # -- Deployments --------------------------------------------------------

    def check_deployments(self):
        print("Deployments and StatefulSets: known fields; selector matches template labels; containers "
              "have name, image, command, ports, resources; readiness/liveness probes on a declared "
              "containerPort (Dialtone's: gRPC, and envFrom uses the ConfigMap and Secret); "
              "non-root; volumes resolve")
        config_maps = {d["metadata"]["name"] for _, d in self.of_kind("ConfigMap")}
        secrets = {d["metadata"]["name"] for _, d in self.of_kind("Secret")}
        claims = {d["metadata"]["name"] for _, d in self.of_kind("PersistentVolumeClaim")}
        for rel, dep in self.workloads():
            self.check_deployment(rel, dep, config_maps, secrets, claims)

    def check_deployment(self, rel, dep, config_maps, secrets, claims):
        name = dep["metadata"]["name"]
        what = f"{dep['kind']}/{name}"
        spec = dep.get("spec")
        if not self.check(isinstance(spec, dict), rel, what, "has no spec"):
            return
        self.fields(spec, dep["kind"] + "Spec", rel, what, "spec")
        replicas = spec.get("replicas", 1)
        self.check(isinstance(replicas, int) and replicas >= 0, rel, what,
                   f"spec.replicas {replicas!r} is not a non-negative integer")

        selector = (spec.get("selector") or {}).get("matchLabels")
        template = spec.get("template") or {}
        labels = (template.get("metadata") or {}).get("labels") or {}
        if self.check(isinstance(selector, dict) and selector, rel, what,
                      "spec.selector.matchLabels is missing or empty"):
            for key, value in selector.items():
                self.check(labels.get(key) == value, rel, what,
                           f"selector {key}={value} does not match template label "
                           f"{key}={labels.get(key)!r}")

        annotations = (template.get("metadata") or {}).get("annotations") or {}
        for key, value in annotations.items():
            self.check(isinstance(value, str), rel, what,
                       f"annotation {key} must be a string (quote it)")

        pod = template.get("spec")
        if not self.check(isinstance(pod, dict), rel, what, "has no spec.template.spec"):
            return
        self.fields(pod, "PodSpec", rel, what, "spec.template.spec")
        pod_security = pod.get("securityContext") or {}
        volumes = {}
        for vol in pod.get("volumes") or []:
            vname = vol.get("name")
            self.check(vname and vname not in volumes, rel, what,
                       f"volume {vname!r} has no name or is declared twice")
            volumes[vname] = vol
            claim = (vol.get("persistentVolumeClaim") or {}).get("claimName")
            if "persistentVolumeClaim" in vol:
                self.check(claim in claims, rel, what,
                           f"volume {vname} uses PersistentVolumeClaim {claim!r}, "
                           "which no manifest defines")
            cm = (vol.get("configMap") or {}).get("name")
            if "configMap" in vol:
                self.check(cm in config_maps, rel, what,
                           f"volume {vname} uses ConfigMap {cm!r}, which no manifest defines")

        containers = pod.get("containers")
        if not self.check(isinstance(containers, list) and containers, rel, what,
                          "has no containers"):
            return
        all_ports = []
        for c in containers:
            all_ports.extend(self.check_container(rel, what, c, pod_security, volumes,
                                                  config_maps, secrets))
        dep["_ports"] = all_ports  # used by check_services

        if "prometheus.io/port" in annotations:
            port = annotations["prometheus.io/port"]
            self.check(any(str(p["containerPort"]) == str(port) for p in all_ports),
                       rel, what, f"prometheus.io/port {port!r} is not a declared containerPort")

    def check_container(self, rel, dep_what, c, pod_security, volumes, config_maps, secrets):
        cname = c.get("name") if isinstance(c, dict) else None
        what = f"{dep_what} container {cname or '?'}"
        if not self.check(isinstance(c, dict), rel, dep_what, "a container is not a mapping"):
            return []
        self.check(isinstance(cname, str) and DNS_LABEL.match(cname), rel, what,
                   "container has no valid name")
        self.fields(c, "Container", rel, what, "the container")
        self.check(isinstance(c.get("image"), str) and c.get("image"), rel, what, "has no image")
        command = c.get("command")
        self.check(isinstance(command, list) and command
                   and all(isinstance(a, str) and a for a in command), rel, what,
                   "command must be a non-empty list of strings")
        # Dialtone's own services share the gRPC health, ConfigMap and Secret; another
        # program (Kamailio) needs only probes of some kind on a port it declares.
        dialtone = isinstance(command, list) and bool(command) and command[0] in SERVICES
        if "lifecycle" in c:
            self.fields(c["lifecycle"], "Lifecycle", rel, what, "lifecycle")
            for hook in ("postStart", "preStop"):
                if hook in (c["lifecycle"] or {}):
                    self.fields(c["lifecycle"][hook], "LifecycleHandler", rel, what,
                                f"lifecycle.{hook}")

        ports = []
        names = set()
        seen = set()
        for p in c.get("ports") or []:
            self.fields(p, "ContainerPort", rel, what, "a port")
            if not isinstance(p, dict):
                continue
            number = p.get("containerPort")
            proto = p.get("protocol", "TCP")
            pname = p.get("name")
            if not self.check(isinstance(number, int) and 0 < number < 65536, rel, what,
                              f"containerPort {number!r} is not an integer in 1..65535"):
                continue
            self.check(proto in PROTOCOLS, rel, what, f"port {number} protocol {proto!r} unknown")
            self.check((number, proto) not in seen, rel, what,
                       f"containerPort {number}/{proto} declared twice")
            seen.add((number, proto))
            if pname is not None:
                self.check(isinstance(pname, str) and PORT_NAME.match(pname) and len(pname) <= 15
                           and re.search("[a-z]", pname), rel, what,
                           f"port name {pname!r} is not a valid IANA service name (<= 15 chars)")
                self.check(pname not in names, rel, what, f"port name {pname!r} used twice")
                names.add(pname)
            ports.append({"containerPort": number, "protocol": proto, "name": pname})
        self.check(ports, rel, what, "declares no ports")
        tcp_ports = {p["containerPort"] for p in ports if p["protocol"] == "TCP"}

        for probe_name in ("readinessProbe", "livenessProbe", "startupProbe"):
            probe = c.get(probe_name)
            if probe is None and probe_name == "startupProbe":
                continue  # optional; checked only when present
            if not self.check(isinstance(probe, dict), rel, what, f"has no {probe_name}"):
                continue
            self.fields(probe, "Probe", rel, what, probe_name)
            handlers = {"exec", "grpc", "httpGet", "tcpSocket"} & set(probe)
            if not dialtone:
                self.check(len(handlers) == 1, rel, what,
                           f"{probe_name} needs exactly one handler, has {sorted(handlers)}")
                port = (probe.get("tcpSocket") or probe.get("grpc") or {}).get("port")
                if "tcpSocket" in probe or "grpc" in probe:
                    self.fields(probe.get("tcpSocket") or probe.get("grpc"),
                                "TCPSocketAction" if "tcpSocket" in probe else "GRPCAction",
                                rel, what, probe_name)
                    self.check(port in tcp_ports or port in names, rel, what,
                               f"{probe_name} port {port!r} is not a declared TCP containerPort")
                continue
            grpc = probe.get("grpc")
            if not self.check(isinstance(grpc, dict), rel, what,
                              f"{probe_name} is not a gRPC probe (expected grpc: {{port: N}})"):
                continue
            self.fields(grpc, "GRPCAction", rel, what, f"{probe_name}.grpc")
            port = grpc.get("port")
            self.check(isinstance(port, int) and port in tcp_ports, rel, what,
                       f"{probe_name}.grpc.port {port!r} is not a declared TCP containerPort "
                       f"(declared: {sorted(tcp_ports)})")
            others = {"exec", "httpGet", "tcpSocket"} & set(probe)
            self.check(not others, rel, what,
                       f"{probe_name} sets {sorted(others)} besides grpc (only one handler allowed)")

        if not dialtone:
            return ports
        env_from = c.get("envFrom") or []
        cm_refs = {(e.get("configMapRef") or {}).get("name") for e in env_from if "configMapRef" in e}
        secret_refs = {(e.get("secretRef") or {}).get("name") for e in env_from if "secretRef" in e}
        self.check(CONFIG_MAP in cm_refs, rel, what, f"envFrom does not reference ConfigMap {CONFIG_MAP}")
        self.check(SECRET in secret_refs, rel, what, f"envFrom does not reference Secret {SECRET}")
        for ref in cm_refs - config_maps:
            self.fail(rel, what, f"envFrom references ConfigMap {ref!r}, which no manifest defines")
        for ref in secret_refs - secrets:
            self.fail(rel, what, f"envFrom references Secret {ref!r}, which no manifest defines")

        env = {}
        for e in c.get("env") or []:
            ename = e.get("name")
            self.check(isinstance(ename, str) and ENV_NAME.match(ename), rel, what,
                       f"env name {ename!r} is not a valid environment variable name")
            self.check(ename not in env, rel, what, f"env {ename} set twice")
            if "value" in e:
                self.check(isinstance(e["value"], str), rel, what,
                           f"env {ename} value must be a string (quote it)")
            env[ename] = e.get("value")
        # The address a service listens on must be the port the probes and Service use.
        for var in ("DIALTONE_GRPC_ADDR", "DIALTONE_METRICS_ADDR", "DIALTONE_HTTP_ADDR"):
            if isinstance(env.get(var), str):
                port = env[var].rpartition(":")[2]
                self.check(port.isdigit() and int(port) in tcp_ports, rel, what,
                           f"{var}={env[var]} listens on a port that is not a declared containerPort")
        self.check("DIALTONE_GRPC_ADDR" in env, rel, what, "env does not set DIALTONE_GRPC_ADDR")
        grpc_addr = env.get("DIALTONE_GRPC_ADDR")
        readiness_port = ((c.get("readinessProbe") or {}).get("grpc") or {}).get("port")
        if isinstance(grpc_addr, str) and readiness_port is not None:
            self.check(grpc_addr.rpartition(":")[2] == str(readiness_port), rel, what,
                       f"readinessProbe port {readiness_port!r} is not DIALTONE_GRPC_ADDR's "
                       f"port ({grpc_addr})")

        resources = c.get("resources") or {}
        for section in ("requests", "limits"):
            values = resources.get(section) or {}
            self.check("cpu" in values and "memory" in values, rel, what,
                       f"resources.{section} must set cpu and memory")

        security = c.get("securityContext") or {}
        self.check(security.get("runAsNonRoot", pod_security.get("runAsNonRoot")) is True,
                   rel, what, "securityContext.runAsNonRoot is not true")

        for mount in c.get("volumeMounts") or []:
            self.check(mount.get("name") in volumes, rel, what,
                       f"volumeMount {mount.get('name')!r} names no declared volume")
            self.check(isinstance(mount.get("mountPath"), str), rel, what,
                       f"volumeMount {mount.get('name')!r} has no mountPath")
        return ports

    # -- Services -----------------------------------------------------------

    def check_services(self):
        print("Services: known fields; selector matches exactly one Deployment or StatefulSet; ports "
              "named, unique, and targetPorts exist on its containers with the same protocol")
        deployments = self.workloads()
        for rel, svc in self.of_kind("Service"):
            name = svc["metadata"]["name"]
            what = f"Service/{name}"
            spec = svc.get("spec") or {}
            self.fields(spec, "ServiceSpec", rel, what, "spec")
            selector = spec.get("selector")
            if not self.check(isinstance(selector, dict) and selector, rel, what,
                              "has no spec.selector"):
                continue
            matches = []
            for _, dep in deployments:
                labels = (((dep.get("spec") or {}).get("template") or {}).get("metadata")
                          or {}).get("labels") or {}
                if all(labels.get(k) == v for k, v in selector.items()):
                    matches.append(dep)
            if not self.check(len(matches) == 1, rel, what,
                              f"selector {selector} matches {len(matches)} workloads "
                              f"({', '.join(d['metadata']['name'] for d in matches) or 'none'}), "
                              "expected exactly one"):
                continue
            dep = matches[0]
            dep_ports = dep.get("_ports", [])
            ports = spec.get("ports")
            if not self.check(isinstance(ports, list) and ports, rel, what, "has no ports"):
                continue
            names = set()
            seen = set()
            for p in ports:
                self.fields(p, "ServicePort", rel, what, "a port")
                if not isinstance(p, dict):
                    continue
                number = p.get("port")
                proto = p.get("protocol", "TCP")
                pname = p.get("name")
                if not self.check(isinstance(number, int) and 0 < number < 65536, rel, what,
                                  f"port {number!r} is not an integer in 1..65535"):
                    continue
                self.check(proto in PROTOCOLS, rel, what, f"port {number} protocol {proto!r} unknown")
                self.check((number, proto) not in seen, rel, what,
                           f"port {number}/{proto} declared twice")
                seen.add((number, proto))
                if len(ports) > 1:
                    self.check(isinstance(pname, str) and PORT_NAME.match(pname)
                               and len(pname) <= 63, rel, what,
                               f"port {number}/{proto} needs a valid name (Service has several ports)")
                self.check(pname is None or pname not in names, rel, what,
                           f"port name {pname!r} used twice")
                names.add(pname)
                target = p.get("targetPort", number)
                if isinstance(target, int):
                    ok = any(d["containerPort"] == target and d["protocol"] == proto
                             for d in dep_ports)
                else:
                    ok = any(d["name"] == target and d["protocol"] == proto for d in dep_ports)
                self.check(ok, rel, what,
                           f"targetPort {target!r}/{proto} is not a containerPort of "
                           f"{dep['kind']}/{dep['metadata']['name']}")

    # -- Dialtone wiring ----------------------------------------------------

    def check_services_complete(self):
        print(f"each of {', '.join(SERVICES)}: exactly one Deployment or StatefulSet and one "
              "Service, running its own binary")
        for service in SERVICES:
            for kind, found in (
                    ("Deployment or StatefulSet",
                     [rel for rel, d in self.workloads() if d["metadata"]["name"] == service]),
                    ("Service",
                     [rel for rel, d in self.of_kind("Service") if d["metadata"]["name"] == service])):
                self.check(len(found) == 1, found[0] if found else self.root, f"{kind} {service}",
                           f"expected exactly one, found {len(found)}")
        for rel, dep in self.workloads():
            name = dep["metadata"]["name"]
            if name not in SERVICES:
                continue
            containers = (((dep.get("spec") or {}).get("template") or {}).get("spec")
                          or {}).get("containers") or []
            commands = [(c.get("command") or [None])[0] for c in containers if isinstance(c, dict)]
            self.check(name in commands, rel, f"{dep['kind']}/{name}",
                       f"no container runs the {name} binary (commands: {commands})")

    def check_peer_addresses(self):
        print("ConfigMap peer addresses name a Service and its gRPC port")
        services = {d["metadata"]["name"]: d for _, d in self.of_kind("Service")}
        for rel, cm in self.of_kind("ConfigMap"):
            if cm["metadata"]["name"] != CONFIG_MAP:
                continue
            for service in SERVICES:
                var = "DIALTONE_" + service.upper().replace("-", "_") + "_ADDR"
                value = (cm.get("data") or {}).get(var)
                if not self.check(isinstance(value, str), rel, f"ConfigMap/{CONFIG_MAP}",
                                  f"{var} is not set"):
                    continue
                host, _, port = value.rpartition(":")
                host = host.split(".")[0]  # call-router.dialtone.svc -> call-router
                svc = services.get(host)
                grpc_ports = [p.get("port") for p in ((svc or {}).get("spec") or {}).get("ports", [])
                              if p.get("name") == "grpc"]
                self.check(svc is not None and port.isdigit() and int(port) in grpc_ports,
                           rel, f"ConfigMap/{CONFIG_MAP}",
                           f"{var}={value} is not a Service's gRPC port "
                           f"(Service {host!r}: {grpc_ports or 'not defined'})")

    # -- replicas behind the front door (issue 17) ------------------------------

    def named(self, kinds, name):
        return next(((rel, d) for rel, _, d in self.docs
                     if d["kind"] in kinds and d["metadata"].get("name") == name), (None, None))

    @staticmethod
    def pod_labels(workload):
        return (((workload.get("spec") or {}).get("template") or {}).get("metadata")
                or {}).get("labels") or {}

    @staticmethod
    def pod_spec(workload):
        return ((workload.get("spec") or {}).get("template") or {}).get("spec") or {}

    @staticmethod
    def env_of(container):
        return {e.get("name"): e for e in container.get("env") or [] if isinstance(e, dict)}

    def config_value(self, container, var):
        """A variable's value from the container's env, else from the shared ConfigMap."""
        env = self.env_of(container)
        if var in env:
            return env[var].get("value")
        _, cm = self.named(("ConfigMap",), CONFIG_MAP)
        return ((cm or {}).get("data") or {}).get(var)

    def kamailio_probe_seconds(self, container):
        """Kamailio's probe interval x threshold: its env, else kamailio.cfg's defaults."""
        cfg = os.path.join(self.root, "..", "kamailio", "kamailio.cfg")
        defaults = {}
        if os.path.isfile(cfg):
            with open(cfg, encoding="utf-8") as f:
                defaults = dict(re.findall(r"^#!define (DS_PING_INTERVAL|DS_PROBING_THRESHOLD) (\d+)",
                                           f.read(), re.M))
        env = self.env_of(container)
        values = []
        for var, define in (("DIALTONE_KAMAILIO_PING_INTERVAL", "DS_PING_INTERVAL"),
                            ("DIALTONE_KAMAILIO_PROBING_THRESHOLD", "DS_PROBING_THRESHOLD")):
            value = (env.get(var) or {}).get("value", defaults.get(define))
            values.append(int(value) if str(value).isdigit() else None)
        return values[0] * values[1] if None not in values else None

    def check_scale(self):
        print("scale: two or more call-routers, media-layers and rest-gateways; Kamailio with a SIP "
              "Service and a dispatcher list naming every call-router pod; routers' preStop >= "
              "Kamailio's probe interval x threshold, grace >= drain + preStop, advertised and "
              "media addresses from the pod IP, trusted proxies set; media on a ReadWriteMany claim")
        for service in ("call-router", "media-layer", "rest-gateway"):
            rel, w = self.named(WORKLOAD_KINDS, service)
            if w is not None:
                replicas = (w.get("spec") or {}).get("replicas", 1)
                self.check(isinstance(replicas, int) and replicas >= 2, rel, f"{w['kind']}/{service}",
                           f"runs {replicas!r} replicas, expected two or more")

        kam = [(rel, w, c) for rel, w in self.workloads()
               for c in self.pod_spec(w).get("containers") or []
               if isinstance(c, dict) and "kamailio" in str(c.get("image", ""))]
        if not self.check(len(kam) == 1, self.root, "kamailio",
                          f"expected one container running a kamailio image, found {len(kam)}"):
            return
        kam_rel, kam_w, kam_c = kam[0]
        kam_what = f"{kam_w['kind']}/{kam_w['metadata']['name']}"
        labels = ((kam_w["spec"].get("template") or {}).get("metadata") or {}).get("labels") or {}
        sip = set()
        for _, svc in self.of_kind("Service"):
            selector = (svc.get("spec") or {}).get("selector") or {}
            if selector and all(labels.get(k) == v for k, v in selector.items()):
                sip |= {(p.get("port"), p.get("protocol", "TCP"))
                        for p in svc["spec"].get("ports") or []}
        self.check({(5060, "UDP"), (5060, "TCP")} <= sip, kam_rel, kam_what,
                   f"no Service reaches its SIP port 5060 over UDP and TCP (ports: {sorted(sip)})")

        router_rel, router = self.named(WORKLOAD_KINDS, "call-router")
        if router is None:
            return
        what = f"{router['kind']}/call-router"
        expected = None
        if self.check(router["kind"] == "StatefulSet", router_rel, what,
                      "must be a StatefulSet: Kamailio's dispatcher list names each pod"):
            headless = router["spec"].get("serviceName")
            hrel, hsvc = self.named(("Service",), headless)
            self.check(hsvc is not None and (hsvc.get("spec") or {}).get("clusterIP") == "None",
                       router_rel, what, f"serviceName {headless!r} is not a headless Service")
            expected = [f"sip:call-router-{i}.{headless}.{NAMESPACE}.svc.cluster.local:5060"
                        for i in range(router["spec"].get("replicas", 1))]
        lists = []
        volumes = {v.get("name"): v for v in self.pod_spec(kam_w).get("volumes") or []}
        for mount in kam_c.get("volumeMounts") or []:
            cm_name = (volumes.get(mount.get("name"), {}).get("configMap") or {}).get("name")
            _, cm = self.named(("ConfigMap",), cm_name)
            if cm and "dispatcher.list" in (cm.get("data") or {}):
                lists.append(cm["data"]["dispatcher.list"])
        if self.check(len(lists) == 1, kam_rel, kam_what,
                      "mounts no ConfigMap holding dispatcher.list") and expected is not None:
            listed = [line.split()[1] for line in lists[0].splitlines()
                      if line.strip() and not line.startswith("#") and line.split()[0] == "1"]
            self.check(listed == expected, kam_rel, kam_what,
                       f"dispatcher set 1 is {listed}, expected every call-router pod: {expected}")

        containers = [c for c in self.pod_spec(router).get("containers") or []
                      if isinstance(c, dict) and (c.get("command") or [None])[0] == "call-router"]
        if not containers:
            return
        c = containers[0]
        env = self.env_of(c)
        pod_ip = {n for n, e in env.items()
                  if ((e.get("valueFrom") or {}).get("fieldRef") or {}).get("fieldPath") == "status.podIP"}
        grpc_port = str(env.get("DIALTONE_GRPC_ADDR", {}).get("value", "")).rpartition(":")[2]
        for var, suffix in (("DIALTONE_ADVERTISE_ADDR", f":{grpc_port}"), ("DIALTONE_MEDIA_HOST", "")):
            e = env.get(var) or {}
            from_ip = var in pod_ip or any(e.get("value") == f"$({n}){suffix}" for n in pod_ip)
            self.check(from_ip, router_rel, what,
                       f"{var} is not the pod IP{suffix and ' and the gRPC port'} (downward API)")
        self.check(bool(self.config_value(c, "DIALTONE_SIP_TRUSTED_PROXIES")), router_rel, what,
                   "DIALTONE_SIP_TRUSTED_PROXIES is not set: the routers would ignore Kamailio's "
                   "caller addresses")
        pre_stop = ((c.get("lifecycle") or {}).get("preStop") or {})
        command = (pre_stop.get("exec") or {}).get("command") or []
        sleep = (pre_stop.get("sleep") or {}).get("seconds")
        if len(command) == 2 and command[0] == "sleep" and command[1].isdigit():
            sleep = int(command[1])
        # The usual shape: the preStop starts the drain itself (SIGTERM to the router, PID 1),
        # then waits while Kamailio's probes see its 503s; the kubelet's own SIGTERM comes after.
        if len(command) == 3 and command[:2] == ["/bin/sh", "-c"]:
            m = re.search(r"kill -TERM 1\s*;\s*sleep (\d+)", command[2])
            self.check(m is not None, router_rel, what,
                       "preStop script must be 'kill -TERM 1; sleep N' (start the drain, wait)")
            if m:
                sleep = int(m.group(1))
        probe = self.kamailio_probe_seconds(kam_c)
        if self.check(isinstance(sleep, int) and probe is not None, router_rel, what,
                      "needs a preStop sleep and Kamailio's probe interval and threshold"):
            self.check(sleep >= probe, router_rel, what,
                       f"preStop sleeps {sleep} s, less than Kamailio's probe interval x "
                       f"threshold ({probe} s)")
        drain = str(self.config_value(c, "DIALTONE_DRAIN_SECONDS") or "")
        grace = self.pod_spec(router).get("terminationGracePeriodSeconds", 30)
        if self.check(drain.isdigit(), router_rel, what, "DIALTONE_DRAIN_SECONDS is not set"):
            self.check(isinstance(grace, int) and grace >= int(drain) + (sleep or 0), router_rel,
                       what, f"terminationGracePeriodSeconds {grace!r} is less than "
                       f"DIALTONE_DRAIN_SECONDS ({drain}) + the preStop sleep ({sleep})")

        media_rel, media = self.named(WORKLOAD_KINDS, "media-layer")
        if media is None:
            return
        claims = {d["metadata"]["name"]: d for _, d in self.of_kind("PersistentVolumeClaim")}
        volumes = {v.get("name"): v for v in self.pod_spec(media).get("volumes") or []}
        for mc in self.pod_spec(media).get("containers") or []:
            media_dir = self.config_value(mc, "DIALTONE_MEDIA_DIR")
            mount = next((m for m in mc.get("volumeMounts") or [] if m.get("mountPath") == media_dir),
                         None)
            claim = ((volumes.get((mount or {}).get("name")) or {}).get("persistentVolumeClaim")
                     or {}).get("claimName")
            modes = ((claims.get(claim) or {}).get("spec") or {}).get("accessModes") or []
            self.check("ReadWriteMany" in modes, media_rel, f"{media['kind']}/media-layer",
                       f"DIALTONE_MEDIA_DIR ({media_dir}) is not on a ReadWriteMany claim "
                       f"(claim {claim!r}, modes {modes})")

    # -- NetworkPolicies (issue 21) ----------------------------------------------

    def selector_ok(self, sel, rel, what, where):
        """Checks a LabelSelector's shape; returns it when usable."""
        if not self.check(isinstance(sel, dict), rel, what, f"{where} is not a mapping"):
            return None
        self.fields(sel, "LabelSelector", rel, what, where)
        labels = sel.get("matchLabels") or {}
        self.check(isinstance(labels, dict) and all(isinstance(v, str) for v in labels.values()),
                   rel, what, f"{where}.matchLabels values must be strings (quote them)")
        for req in sel.get("matchExpressions") or []:
            self.fields(req, "LabelSelectorRequirement", rel, what, f"{where}.matchExpressions")
            op = req.get("operator")
            values = req.get("values")
            if not self.check(op in ("In", "NotIn", "Exists", "DoesNotExist"), rel, what,
                              f"{where}: unknown operator {op!r}"):
                return None
            if op in ("In", "NotIn"):
                self.check(isinstance(values, list) and values
                           and all(isinstance(v, str) for v in values), rel, what,
                           f"{where}: {op} needs a non-empty list of string values")
            else:
                self.check(not values, rel, what, f"{where}: {op} takes no values")
        return sel

    @staticmethod
    def selects(sel, labels):
        """Whether the LabelSelector `sel` matches `labels` ({} matches everything)."""
        for key, value in (sel.get("matchLabels") or {}).items():
            if labels.get(key) != value:
                return False
        for req in sel.get("matchExpressions") or []:
            key, op, values = req.get("key"), req.get("operator"), req.get("values") or []
            if op == "In" and labels.get(key) not in values:
                return False
            if op == "NotIn" and labels.get(key) in values:
                return False
            if op == "Exists" and key not in labels:
                return False
            if op == "DoesNotExist" and key in labels:
                return False
        return True

    @staticmethod
    def rule_allows(rule, port):
        """Whether an ingress rule's `ports` admit the container port {containerPort, protocol,
        name} (no ports: every port)."""
        ports = rule.get("ports")
        if not ports:
            return True
        for p in ports:
            if p.get("protocol", "TCP") != port["protocol"]:
                continue
            number = p.get("port")
            if number is None:
                return True
            if isinstance(number, str):
                if number == port["name"]:
                    return True
                continue
            if number == port["containerPort"] or (
                    isinstance(p.get("endPort"), int)
                    and number <= port["containerPort"] <= p["endPort"]):
                return True
        return False

    def check_network_policies(self):
        print("NetworkPolicies: known fields and valid selectors and ports; a default-deny for "
              "ingress; each workload's gRPC ports only from Dialtone's service pods, metrics only "
              f"from namespaces labelled {MONITORING_LABEL[0]}={MONITORING_LABEL[1]!r}; every "
              "other declared port and the routers' RTP range open")
        policies = []
        for rel, pol in self.of_kind("NetworkPolicy"):
            what = f"NetworkPolicy/{pol['metadata']['name']}"
            spec = pol.get("spec")
            if not self.check(isinstance(spec, dict), rel, what, "has no spec"):
                continue
            self.fields(spec, "NetworkPolicySpec", rel, what, "spec")
            # podSelector is required by the API ({} selects every pod in the namespace).
            sel = self.selector_ok(spec.get("podSelector"), rel, what, "spec.podSelector")
            types = spec.get("policyTypes") or ["Ingress"]
            self.check(isinstance(types, list) and set(types) <= {"Ingress", "Egress"}, rel, what,
                       f"policyTypes {types!r} may hold only Ingress and Egress")
            rules = spec.get("ingress") or []
            if not self.check(isinstance(rules, list), rel, what, "ingress is not a list"):
                continue
            for rule in rules:
                self.fields(rule, "NetworkPolicyIngressRule", rel, what, "an ingress rule")
                for peer in rule.get("from") or []:
                    self.fields(peer, "NetworkPolicyPeer", rel, what, "a from peer")
                    for key in ("podSelector", "namespaceSelector"):
                        if key in peer:
                            self.selector_ok(peer[key], rel, what, f"from.{key}")
                    self.check(peer.get("podSelector") is not None
                               or peer.get("namespaceSelector") is not None
                               or peer.get("ipBlock") is not None, rel, what,
                               "a from peer selects nothing")
                for p in rule.get("ports") or []:
                    self.fields(p, "NetworkPolicyPort", rel, what, "a port")
                    proto = p.get("protocol", "TCP")
                    self.check(proto in PROTOCOLS, rel, what, f"port protocol {proto!r} unknown")
                    number = p.get("port")
                    if isinstance(number, str):
                        self.check(PORT_NAME.match(number) and len(number) <= 15, rel, what,
                                   f"named port {number!r} is not a valid port name")
                        self.check("endPort" not in p, rel, what,
                                   f"endPort needs a numeric port, not {number!r}")
                    elif number is not None:
                        self.check(isinstance(number, int) and 0 < number < 65536, rel, what,
                                   f"port {number!r} is not an integer in 1..65535")
                        end = p.get("endPort", number)
                        self.check(isinstance(end, int) and number <= end < 65536, rel, what,
                                   f"endPort {end!r} is below port {number}")
            if sel is not None and "Ingress" in types:
                policies.append((rel, what, sel, rules))

        self.check(any(not (sel.get("matchLabels") or sel.get("matchExpressions")) and not rules
                       for _, _, sel, rules in policies),
                   self.root, "NetworkPolicy",
                   "no default-deny for ingress (podSelector: {}, policyTypes: [Ingress], no rules)")

        # The template labels of Dialtone's own service workloads, and of every other pod.
        service_labels = [self.pod_labels(w) for _, w in self.workloads()
                          if w["metadata"]["name"] in SERVICES]
        others = [self.pod_labels(w) for _, w in self.workloads()
                  if w["metadata"]["name"] not in SERVICES]
        # Pods of no workload here (a debugging pod, a future addition) carry other labels;
        # a source selector must not match them either.
        others.append({"app.kubernetes.io/name": "something-else"})

        for rel, w in self.workloads():
            what = f"{w['kind']}/{w['metadata']['name']}"
            labels = self.pod_labels(w)
            grpc_ports, metrics_ports = self.internal_ports(w)
            for port in w.get("_ports", []):
                label = f"port {port['name'] or port['containerPort']}/{port['protocol']}"
                allowing = [(pw, rule) for _, pw, sel, rules in policies if self.selects(sel, labels)
                            for rule in rules if self.rule_allows(rule, port)]
                self.check(allowing, rel, what,
                           f"{label} is allowed by no NetworkPolicy (the default-deny cuts it off)")
                if port["containerPort"] in grpc_ports:
                    for pw, rule in allowing:
                        self.check(self.only_services(rule, service_labels, others), rel, what,
                                   f"gRPC {label} is open wider than Dialtone's service pods "
                                   f"({pw})")
                elif port["containerPort"] in metrics_ports:
                    for pw, rule in allowing:
                        self.check(self.only_monitoring(rule), rel, what,
                                   f"metrics {label} is open wider than namespaces labelled "
                                   f"{MONITORING_LABEL[0]}={MONITORING_LABEL[1]} ({pw})")

            if w["metadata"]["name"] == "call-router":
                for c in self.pod_spec(w).get("containers") or []:
                    low = str(self.config_value(c, "DIALTONE_RTP_PORT_MIN") or "")
                    high = str(self.config_value(c, "DIALTONE_RTP_PORT_MAX") or "")
                    if not (low.isdigit() and high.isdigit()):
                        continue
                    for number in (int(low), int(high)):
                        rtp = {"containerPort": number, "protocol": "UDP", "name": None}
                        self.check(any(self.selects(sel, labels) and self.rule_allows(rule, rtp)
                                       for _, _, sel, rules in policies for rule in rules),
                                   rel, what, f"RTP port {number}/UDP (DIALTONE_RTP_PORT_MIN..MAX) "
                                   "is allowed by no NetworkPolicy")

    def internal_ports(self, workload):
        """The container port numbers a workload serves gRPC and metrics on: ports named grpc or
        metrics, DIALTONE_GRPC_ADDR's and DIALTONE_METRICS_ADDR's, and the targets of Service
        ports named so or with appProtocol grpc."""
        grpc, metrics = set(), set()
        ports = workload.get("_ports", [])
        for p in ports:
            if p["name"] == "grpc":
                grpc.add(p["containerPort"])
            if p["name"] == "metrics":
                metrics.add(p["containerPort"])
        for c in self.pod_spec(workload).get("containers") or []:
            if not isinstance(c, dict):
                continue
            for var, into in (("DIALTONE_GRPC_ADDR", grpc), ("DIALTONE_METRICS_ADDR", metrics)):
                port = str(self.env_of(c).get(var, {}).get("value") or "").rpartition(":")[2]
                if port.isdigit():
                    into.add(int(port))
        labels = self.pod_labels(workload)
        for _, svc in self.of_kind("Service"):
            spec = svc.get("spec") or {}
            if not isinstance(spec.get("selector"), dict) or not spec["selector"] or \
                    not self.selects({"matchLabels": spec["selector"]}, labels):
                continue
            for sp in spec.get("ports") or []:
                kind = ("grpc" if sp.get("name") == "grpc" or sp.get("appProtocol") == "grpc"
                        else "metrics" if sp.get("name") == "metrics" else None)
                if kind is None:
                    continue
                target = sp.get("targetPort", sp.get("port"))
                for p in ports:
                    if target in (p["containerPort"], p["name"]):
                        (grpc if kind == "grpc" else metrics).add(p["containerPort"])
        return grpc, metrics

    def only_services(self, rule, service_labels, others):
        """A rule admits only pods of Dialtone's services in this namespace: every peer a
        podSelector alone (no namespaceSelector, no ipBlock) that matches some service's pods
        and no other pod."""
        peers = rule.get("from") or []
        if not peers:
            return False  # every source
        for peer in peers:
            if set(peer) != {"podSelector"}:
                return False
            sel = peer["podSelector"] or {}
            if not any(self.selects(sel, labels) for labels in service_labels):
                return False
            if any(self.selects(sel, labels) for labels in others):
                return False
        return True

    @staticmethod
    def only_monitoring(rule):
        """A rule admits only pods of namespaces carrying the monitoring label."""
        peers = rule.get("from") or []
        if not peers:
            return False
        for peer in peers:
            if "ipBlock" in peer or "namespaceSelector" not in peer:
                return False
            labels = (peer["namespaceSelector"] or {}).get("matchLabels") or {}
            if labels.get(MONITORING_LABEL[0]) != MONITORING_LABEL[1]:
                return False
        return True

    def check_kustomization(self, files):
        print("kustomization.yaml lists every manifest once, and only existing files")
        kust = [(rel, d) for rel, _, d in self.docs if d["kind"] == "Kustomization"]
        if not self.check(len(kust) == 1, self.root, "Kustomization",
                          f"expected one kustomization file, found {len(kust)}"):
            return
        rel, doc = kust[0]
        resources = doc.get("resources")
        if not self.check(isinstance(resources, list) and resources, rel, "Kustomization",
                          "has no resources list"):
            return
        base = os.path.dirname(rel)
        listed = []
        for r in resources:
            path = os.path.normpath(os.path.join(base, r))
            self.check(os.path.isfile(os.path.join(self.root, path)), rel, "Kustomization",
                       f"resource {r!r} does not exist")
            self.check(path not in listed, rel, "Kustomization", f"resource {r!r} listed twice")
            listed.append(path)
        for f in files:
            if f == rel:
                continue
            self.check(f in listed, rel, "Kustomization", f"does not list {f}")
        ns = doc.get("namespace")
        self.check(ns in (None, NAMESPACE), rel, "Kustomization",
                   f"namespace {ns!r} differs from the manifests' {NAMESPACE!r}")

    def run(self):
        files = self.load()
        self.check_shape()
        self.check_config()
        self.check_deployments()
        self.check_services()
        self.check_services_complete()
        self.check_peer_addresses()
        self.check_scale()
        self.check_network_policies()
        self.check_kustomization(files)
        counts = {}
        for _, _, d in self.docs:
            counts[d["kind"]] = counts.get(d["kind"], 0) + 1
        print("objects: " + ", ".join(f"{counts[k]} {k}" for k in sorted(counts)))
        if self.errors:
            print(f"FAIL: {len(self.errors)} violation(s) in {self.root}:", file=sys.stderr)
            for e in self.errors:
                print(f"  {e}", file=sys.stderr)
            return 1
        print(f"OK: {self.checks} checks passed")
        return 0


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.normpath(os.path.join(here, "..", "..", "deploy", "k8s"))
    if len(argv) > 2 or (len(argv) == 2 and argv[1] in ("-h", "--help")):
        print(__doc__.strip())
        return 2
    root = argv[1] if len(argv) == 2 else default
    if not os.path.isdir(root):
        print(f"FAIL: {root}: not a directory", file=sys.stderr)
        return 1
    return Checker(root).run()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
