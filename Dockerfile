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
# CGO off: every dependency is pure Go (pgx; the dev command's SQLite is modernc.org/sqlite),
# so the binary runs on an image without a C library.
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/subsidyflow ./cmd/subsidyflow
# The api appends signed audit checkpoints here (AUDIT_CHECKPOINT_FILE in docker-compose.yml);
# a volume mounted on it starts with this owner, so the unprivileged user can write.
RUN mkdir -p /out/checkpoints

# distroless/static: CA certificates and time zone data (Asia/Shanghai) but no shell or
# package manager, running as an unprivileged user.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/subsidyflow /usr/local/bin/subsidyflow
COPY --from=build --chown=nonroot:nonroot /out/checkpoints /checkpoints
USER nonroot:nonroot
ENV HTTP_ADDR=:8080
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/subsidyflow"]
CMD ["api"]
