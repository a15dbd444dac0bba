# polardb-ops-alerts as a container: built from source, run as a non-root user, state in a volume.
#   docker build -t polardb-ops-alerts .
#   docker run -d --name polardb-ops-alerts -p 8080:8080 -v polardb-ops-alerts-data:/app/data \
#     -e ALIBABA_CLOUD_ACCESS_KEY_ID -e ALIBABA_CLOUD_ACCESS_KEY_SECRET -e POLARDB_REGIONS=cn-hangzhou \
#     polardb-ops-alerts
FROM maven:3.8.7-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml application.properties ./
COPY routes routes
COPY src src
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 alerts \
    && useradd --system --uid 10001 --gid alerts --home-dir /app --shell /usr/sbin/nologin alerts
WORKDIR /app
COPY --from=build /src/target/polardb-ops-alerts.jar /app/polardb-ops-alerts.jar
# Class data for a faster start (AppCDS), recorded by a demo run with this image's own JVM; the demo's
# files are thrown away.
RUN cd /tmp && ALIBABA_CLOUD_ECS_METADATA_DISABLED=true \
        java -Xmx192m -XX:+UseSerialGC -XX:ArchiveClassesAtExit=/app/app.jsa -jar /app/polardb-ops-alerts.jar \
            --demo --once >/dev/null 2>&1 \
    && rm -rf /tmp/data \
    && mkdir -p /app/data && chown -R alerts:alerts /app
USER 10001:10001
# data/alerts (the alert log), data/state (what was sent; one container per volume), data/archive.
VOLUME ["/app/data"]
EXPOSE 8080
# Logs as JSON lines for the container's log driver; health and metrics on 8080.
ENV LOGGING_FORMAT=json
# docker stop sends SIGTERM: in-flight deliveries finish, then exit 0. Allow for camel.main.shutdown-timeout.
STOPSIGNAL SIGTERM
# A small, fixed heap: 100,000 tasks a cycle fit in 128 MB (see the README's benchmarks); for more, run the
# image with --entrypoint java and your own -Xmx. (Flags here rather than in JAVA_TOOL_OPTIONS, which makes
# the JVM print a line that is not JSON.)
ENTRYPOINT ["java", "-Xmx192m", "-XX:+UseSerialGC", "-XX:SharedArchiveFile=/app/app.jsa", \
    "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/polardb-ops-alerts.jar"]
