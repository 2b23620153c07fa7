// Package deploy holds no code: only tests that check the deployment files at the root of the
// repository (docker-compose.yml, Dockerfile), so that `go test ./...` catches a compose
// file that no longer matches the services and settings the application expects.
package deploy
