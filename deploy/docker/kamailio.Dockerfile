# Kamailio, Dialtone's SIP front door (deploy/kamailio), from Debian's package: the
# compose `scale` profile and deploy/k8s/kamailio.yaml run it.
#
#   podman build -f deploy/docker/kamailio.Dockerfile -t dialtone-kamailio:dev .
#   docker run --network host -e DIALTONE_SIP_ROUTERS="sip:127.0.0.1:5070 sip:127.0.0.1:5071" dialtone-kamailio:dev
FROM debian:12-slim

ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends kamailio \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --no-create-home dialtone
COPY deploy/kamailio/kamailio.cfg deploy/kamailio/run.sh /etc/kamailio/dialtone/
USER 10001
EXPOSE 5060/udp 5060/tcp
ENTRYPOINT ["/etc/kamailio/dialtone/run.sh"]
