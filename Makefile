# inspector — see README.md. `make run` is the demo, `make test` the tests.
GO      ?= go
BIN     := bin/inspector
PKG     := ./cmd/inspector
FUZZTIME ?= 10s

.PHONY: run test build bench cross deps fuzz check lint clean

deps:
	@bash scripts/deps.sh

build:
	CGO_ENABLED=0 $(GO) build -o $(BIN) $(PKG)

# The demo: the embedded synthetic province, served on loopback, probed, and
# opened in the review UI. No network.
run: deps build
	./$(BIN) demo

test: deps
	$(GO) vet ./...
	$(GO) test -count=1 -p 1 -timeout 25m ./...

# Brief runs of every fuzz target (CI runs this).
fuzz:
	@bash scripts/fuzz.sh $(FUZZTIME)

# The self-check on the small province with the real binary and Chromium.
check: deps build
	./$(BIN) demo --check --small

bench: deps build
	@bash scripts/bench.sh

cross:
	CGO_ENABLED=0 GOOS=windows GOARCH=amd64 $(GO) build -o bin/inspector-windows-amd64.exe $(PKG)
	CGO_ENABLED=0 GOOS=darwin GOARCH=arm64 $(GO) build -o bin/inspector-darwin-arm64 $(PKG)
	@ls -l bin/inspector-windows-amd64.exe bin/inspector-darwin-arm64

lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)
	$(GO) vet ./...

clean:
	rm -rf bin
