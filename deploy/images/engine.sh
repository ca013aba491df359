#!/usr/bin/env bash
# Container engine for local builds and the container test: `engine.sh start` installs Debian's
# docker.io, docker-compose (1.29) and mmdebstrap when missing and starts dockerd when no engine
# answers, recording the pid; `engine.sh stop` stops only a dockerd this script started.
# Idempotent; needs root (as on the project's machines and CI).
# shellcheck source=deploy/images/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PID_FILE="$IMAGES_HOME/dockerd.pid"
LOG_FILE="$IMAGES_HOME/dockerd.log"

install_packages() {
  local missing=()
  command -v dockerd >/dev/null || missing+=(docker.io)
  command -v docker-compose >/dev/null || missing+=(docker-compose)
  command -v mmdebstrap >/dev/null || missing+=(mmdebstrap)
  ((${#missing[@]} == 0)) && return
  log "installing ${missing[*]} from Debian's packages"
  [[ $(id -u) == 0 ]] || die "installing ${missing[*]} needs root: sudo apt-get install -y ${missing[*]}"
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

start() {
  install_packages
  if docker info >/dev/null 2>&1; then log "Docker engine already running"; return; fi
  log "starting dockerd (log $LOG_FILE)"
  # setsid: the daemon outlives the shell that started it, and is stopped by its pid alone.
  setsid dockerd >"$LOG_FILE" 2>&1 </dev/null &
  echo $! >"$PID_FILE"
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && { log "dockerd ready (pid $(cat "$PID_FILE"))"; return; }
    kill -0 "$(cat "$PID_FILE")" 2>/dev/null || { tail -20 "$LOG_FILE" >&2; die "dockerd exited"; }
    sleep 1
  done
  tail -20 "$LOG_FILE" >&2
  die "dockerd did not answer within 60 s"
}

stop() {
  [[ -f "$PID_FILE" ]] || { log "no dockerd started by this script; nothing to stop"; return; }
  local pid; pid="$(cat "$PID_FILE")"
  if kill -0 "$pid" 2>/dev/null && [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == dockerd ]]; then
    log "stopping dockerd (pid $pid)"
    kill -TERM "$pid"
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  fi
  rm -f "$PID_FILE"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  *) die "usage: engine.sh start|stop" ;;
esac
