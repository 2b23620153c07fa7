# subsidyflow's one binary, for `docker-compose up` and production. The runtime image runs
# `subsidyflow api` by default; the same image runs `worker` and `migrate` with another
# command. Plain layers (no RUN --mount) so the classic builder of docker-compose 1.29 can
# build it as well as BuildKit.

FROM golang:1.26-bookworm AS build
WORKDIR /src
# Modules first: this layer is reused until go.mod or go.sum change.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# CGO off: every dependency is pure Go (pgx), so the binary runs on an image without a C
# library. No devserver tag: the production binary does not link the Temporal server (it
# talks to a cluster), which keeps it and the image small. subsidyflow-cluster is built
# too for compose's one-shot `certs` job (it makes the cluster's CA and mTLS certificates).
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/subsidyflow ./cmd/subsidyflow && \
    CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/subsidyflow-cluster ./cmd/subsidyflow-cluster
# The api appends signed audit checkpoints here (AUDIT_CHECKPOINT_FILE in docker-compose.yml);
# a volume mounted on it starts with this owner, so the unprivileged user can write.
RUN mkdir -p /out/checkpoints

# distroless/static: CA certificates and time zone data (Asia/Shanghai) but no shell or
# package manager, running as an unprivileged user.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/subsidyflow /out/subsidyflow-cluster /usr/local/bin/
COPY --from=build --chown=nonroot:nonroot /out/checkpoints /checkpoints
USER nonroot:nonroot
ENV HTTP_ADDR=:8080
EXPOSE 8080
# The api's readiness (a claim could start); compose overrides it for the other commands.
HEALTHCHECK --interval=10s --timeout=6s --start-period=30s CMD ["/usr/local/bin/subsidyflow", "probe", "http://127.0.0.1:8080/readyz"]
ENTRYPOINT ["/usr/local/bin/subsidyflow"]
CMD ["api"]
