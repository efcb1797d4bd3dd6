#!/usr/bin/env bash
# Runs the load generator from the source tree: bench.sh <scenario> [flags], e.g.
#   switchboard-bench/bench.sh echo --compare --half-rate
# Builds the bench module and what it needs (no tests), then runs io.switchboard.bench.BenchMain on that
# class path. Logging is kept to warnings so the progress line stays readable.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cp_file="$root/switchboard-bench/target/bench.classpath"
(cd "$root" && mvn -q -pl switchboard-bench -am -DskipTests -Dmdep.outputFile="$cp_file" \
    compile dependency:build-classpath >&2)
logback="$root/switchboard-bench/target/logback-bench.xml"
cat > "$logback" <<'XML'
<configuration>
  <appender name="CONSOLE" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
  </appender>
  <root level="WARN"><appender-ref ref="CONSOLE"/></root>
</configuration>
XML
exec java ${BENCH_JAVA_OPTS:-} -Dlogback.configurationFile="$logback" \
    -cp "$root/switchboard-bench/target/classes:$(cat "$cp_file")" io.switchboard.bench.BenchMain "$@"
