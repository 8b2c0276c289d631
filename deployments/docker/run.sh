#!/bin/bash
# Starts the service with the class-data-sharing archive or AOT cache made at build time, if any.
set -e
cds=()
if [ -f /app/app.aot ]; then cds=(-XX:AOTCache=/app/app.aot)
elif [ -f /app/app.jsa ]; then cds=(-XX:SharedArchiveFile=/app/app.jsa)
fi
# shellcheck disable=SC2086
exec java $JAVA_OPTS ${JAVA_OPTS_EXTRA:-} "${cds[@]}" -jar /app/app.jar "$@"
