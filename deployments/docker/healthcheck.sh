#!/bin/bash
# Healthy = the readiness group answers 200 on the actuator's port. bash's /dev/tcp instead of
# curl, which the image lacks.
exec 3<>"/dev/tcp/127.0.0.1/${MANAGEMENT_PORT:?}" || exit 1
printf 'GET /actuator/health/readiness HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
IFS= read -r -t 4 status <&3 || exit 1
[[ $status == *" 200 "* ]]
