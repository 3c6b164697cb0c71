#!/bin/bash
# Container health check: exits 0 when http://127.0.0.1:<port><path> answers 200.
# Uses bash's /dev/tcp because the JRE runtime image ships no curl or wget.
#   crossjobs-healthcheck 8080 [/q/health/ready]
port=${1:?usage: crossjobs-healthcheck <port> [path]}
path=${2:-/q/health/ready}
{ exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || exit 1
printf 'GET %s HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$path" >&3
IFS= read -r -t 5 status <&3 2>/dev/null || exit 1
[[ $status == HTTP/1.?' 200'* ]]
