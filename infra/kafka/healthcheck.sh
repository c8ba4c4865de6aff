#!/usr/bin/env bash
# Kafka healthcheck (mounted into the kafka container by docker-compose.yml). The client listener requires SASL, so
# the check needs a client config with the credentials; they come from the container's environment, hence a file
# written at check time rather than a mounted one. It stays inside the container, readable by its user only.
set -euo pipefail
umask 077
props=/tmp/healthcheck-client.properties
{
  echo "security.protocol=SASL_PLAINTEXT"
  echo "sasl.mechanism=PLAIN"
  printf 'sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="%s" password="%s";\n' \
    "$HEALTHCHECK_SASL_USERNAME" "$HEALTHCHECK_SASL_PASSWORD"
} > "$props"
exec /opt/kafka/bin/kafka-broker-api-versions.sh --bootstrap-server localhost:9092 --command-config "$props" > /dev/null 2>&1
