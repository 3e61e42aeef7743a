#!/usr/bin/env bash
# RabbitMQ as docker-compose runs it: the server, then one user per service with its password
# from PORTAL_<SERVICE>_AMQP_PASSWORD, the permissions and topology of definitions.json, and no
# guest. An administrator for the management UI only when PORTAL_BROKER_ADMIN_PASSWORD is set
# (the development override). The health check waits for /tmp/provisioned.
set -euo pipefail

SERVICES=(company identity invoice notifier renderer)

rm -f /tmp/provisioned
docker-entrypoint.sh rabbitmq-server &
server=$!
# docker stop signals this script: pass it on, and end when the server has.
trap 'kill -TERM "$server"; wait "$server"; exit' TERM INT

set_password() {  # user, password: read from stdin, so it is on no command line
  if rabbitmqctl -q list_users | cut -f1 | grep -qx "$1"; then
    printf '%s' "$2" | rabbitmqctl -q change_password "$1"
  else
    printf '%s' "$2" | rabbitmqctl -q add_user "$1"
  fi
}

rabbitmqctl -q await_startup --timeout 300
for service in "${SERVICES[@]}"; do
  variable="PORTAL_${service^^}_AMQP_PASSWORD"
  set_password "$service" "${!variable:?$variable must be set}"
done
if [[ -n "${PORTAL_BROKER_ADMIN_PASSWORD:-}" ]]; then
  set_password admin "$PORTAL_BROKER_ADMIN_PASSWORD"
  rabbitmqctl -q set_user_tags admin administrator
  rabbitmqctl -q set_permissions admin '.*' '.*' '.*'
fi
rabbitmqctl -q import_definitions /etc/rabbitmq/definitions.json
rabbitmqctl -q delete_user guest 2>/dev/null || true
touch /tmp/provisioned

wait "$server"
