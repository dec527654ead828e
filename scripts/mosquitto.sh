#!/usr/bin/env bash
# robotwork's MQTT broker: `scripts/mosquitto.sh up|down`. Idempotent.
#
# `up` makes an authenticated Mosquitto the broker on 127.0.0.1:1883: no anonymous clients, a
# password file robotwork keeps in step with device tokens (robotwork live sync-broker, token
# create/revoke, and every minute from the running subscriber), and an ACL that lets a robot
# publish only under robotwork/v1/<its serial>/. The machine's own anonymous broker (started
# from /etc/mosquitto/mosquitto.conf) is stopped, by the pid in its own pid file, and `down`
# starts it again. Files live in $ROBOTWORK_BROKER_DIR (default ~/.robotwork/mosquitto):
#   mosquitto.conf, acl, service-passwords (robotwork's own subscriber, user "robotwork"),
#   subscriber.secret (its password), passwords (written by robotwork), mosquitto.pid, log.
set -euo pipefail
action="${1:-up}"
dir="${ROBOTWORK_BROKER_DIR:-$HOME/.robotwork/mosquitto}"
port="${ROBOTWORK_MQTT_PORT:-1883}"
system_conf=/etc/mosquitto/mosquitto.conf
system_pid=/run/mosquitto/mosquitto.pid

alive() {  # pid file: true when the process it names runs
  [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

listener_pid() {  # the pid listening on 127.0.0.1:$port, if any
  { ss -ltnpH "sport = :$port" 2>/dev/null || true; } | { grep -o 'pid=[0-9]*' || true; } | head -1 | cut -d= -f2
}

system_broker() {  # pid: true when it is the machine's Mosquitto (its pid file, or its config)
  { alive "$system_pid" && [ "$1" = "$(cat "$system_pid")" ]; } ||
    tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -q "mosquitto.* $system_conf"
}

wait_for() {  # want-listening(yes|no)
  for _ in $(seq 100); do
    if [ -n "$(listener_pid)" ]; then [ "$1" = yes ] && return 0; else [ "$1" = no ] && return 0; fi
    sleep 0.1
  done
  echo "mosquitto.sh: 127.0.0.1:$port did not become $([ "$1" = yes ] && echo busy || echo free)" >&2
  return 1
}

write_files() {
  mkdir -p "$dir"
  chmod 700 "$dir"
  if [ ! -s "$dir/subscriber.secret" ]; then
    (umask 077; head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' >"$dir/subscriber.secret")
  fi
  # The service account's line is rewritten only when missing, so its hash stays stable.
  if [ ! -s "$dir/service-passwords" ]; then
    (umask 077; : >"$dir/service-passwords.tmp")
    mosquitto_passwd -b "$dir/service-passwords.tmp" robotwork "$(cat "$dir/subscriber.secret")"
    mv "$dir/service-passwords.tmp" "$dir/service-passwords"
  fi
  [ -s "$dir/passwords" ] || (umask 077; cp "$dir/service-passwords" "$dir/passwords")
  cat >"$dir/acl" <<'EOF'
# robotwork's subscriber reads every robot's live topics.
user robotwork
topic read robotwork/v1/#

# A robot (username = its serial) publishes only under its own serial.
pattern write robotwork/v1/%u/#
EOF
  {
    echo "# Written by scripts/mosquitto.sh; edits are overwritten."
    echo "listener $port 127.0.0.1"
    echo "allow_anonymous false"
    echo "password_file $dir/passwords"
    echo "acl_file $dir/acl"
    echo "pid_file $dir/mosquitto.pid"
    echo "persistence true"
    echo "persistence_location $dir/"
    echo "log_dest file $dir/mosquitto.log"
    # robotwork's subscriber takes every robot's QoS 1 messages on one connection: the default
    # window (20 in flight, 1000 queued, then dropped) loses messages after a pause of a second.
    echo "max_inflight_messages 1000"
    echo "max_queued_messages 200000"
    # Run as root, Mosquitto would switch to user "mosquitto", who cannot read the 0600 files
    # robotwork writes; stay the user who owns them.
    [ "$(id -u)" = 0 ] && echo "user root"
  } >"$dir/mosquitto.conf"
}

up() {
  if ! command -v mosquitto >/dev/null; then
    [ "$(id -u)" = 0 ] || { echo "mosquitto.sh: install the mosquitto package" >&2; exit 1; }
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mosquitto >/dev/null
  fi
  write_files
  if alive "$dir/mosquitto.pid" && [ "$(listener_pid)" = "$(cat "$dir/mosquitto.pid")" ]; then
    kill -HUP "$(cat "$dir/mosquitto.pid")"  # re-read passwords and ACL
    echo "mosquitto: authenticated broker already on 127.0.0.1:$port (pid $(cat "$dir/mosquitto.pid"))"
    return
  fi
  holder="$(listener_pid)"
  if [ -n "$holder" ]; then
    if system_broker "$holder"; then
      kill "$holder"
      touch "$dir/replaced-system-broker"
      wait_for no
    else
      echo "mosquitto.sh: 127.0.0.1:$port is held by pid $holder, not the machine's Mosquitto; stop it first" >&2
      exit 1
    fi
  fi
  mosquitto -d -c "$dir/mosquitto.conf"
  wait_for yes
  echo "mosquitto: authenticated broker on 127.0.0.1:$port (pid $(cat "$dir/mosquitto.pid")), files in $dir"
}

down() {
  if alive "$dir/mosquitto.pid"; then
    kill "$(cat "$dir/mosquitto.pid")"
    wait_for no
  fi
  if [ -f "$dir/replaced-system-broker" ]; then
    [ -n "$(listener_pid)" ] || mosquitto -d -c "$system_conf"
    rm -f "$dir/replaced-system-broker"
  fi
  echo "mosquitto: robotwork's broker stopped"
}

case "$action" in
  up) up ;;
  down) down ;;
  *) echo "usage: scripts/mosquitto.sh up|down" >&2; exit 2 ;;
esac
