# A local stand-in for eclipse-temurin:17-jre, built from Debian packages where no registry is
# reachable (scripts/containers.sh base). Same contract: java on the PATH, bash, a JRE 17.
FROM local/debian:bookworm
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless >/dev/null \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb
ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
