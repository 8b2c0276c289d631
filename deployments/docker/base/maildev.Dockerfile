# A local stand-in for maildev/maildev (an SMTP catcher with a web UI and a REST API) on Debian's
# Node.js, where no container registry is reachable (scripts/containers.sh base). The package comes
# from the npm registry, installed by the host's npm into the build context (so the host's trust
# store and proxy settings apply). Same ports as the public image: SMTP 1025, web and API 1080.
FROM local/debian:bookworm
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs >/dev/null \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb \
 && useradd --system --uid 1000 --create-home node
COPY maildev/node_modules /opt/maildev/node_modules
USER node
EXPOSE 1025 1080
ENTRYPOINT ["node", "/opt/maildev/node_modules/maildev/bin/maildev"]
