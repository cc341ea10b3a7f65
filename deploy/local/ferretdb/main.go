// Command ferretdb runs FerretDB v1 embedded, with the SQLite backend, for the local stack.
//
// The plain `go install .../cmd/ferretdb` binary panics at start (it expects build metadata that only
// FerretDB's own build provides), so the local stack builds this wrapper around the embeddable package.
package main

import (
	"context"
	"errors"
	"flag"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on")
	dataDir := flag.String("data", "data", "directory for the SQLite database files")
	flag.Parse()

	// FerretDB allocates a lot per command (documents go BSON -> Go values -> JSON text and back). With
	// Go's default GOGC=100 the collector took about 8 % of FerretDB's CPU under the pipeline bench;
	// 400 trades memory the local stack has (heap up to 5x live data, tens of MB) for fewer cycles.
	// GOGC in the environment still wins.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}

	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{Level: slog.LevelWarn}))

	dir, err := filepath.Abs(*dataDir)
	if err != nil {
		fail(logger, "resolve data dir", err)
	}
	// The SQLite backend refuses a directory that does not exist yet.
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fail(logger, "create data dir", err)
	}

	f, err := ferretdb.New(&ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: *listen},
		Logger:   logger,
		Handler:  "sqlite",
		// synchronous(normal): in WAL mode (FerretDB's default) a commit no longer waits for an fsync
		// of the write-ahead log; the log is synced at checkpoints. The database stays consistent
		// after a crash of this process or of the machine, but a power loss can drop the last
		// commits. That is the right trade for a development and test stack (it was about 10 % of
		// FerretDB's CPU, and a wait on every write); production runs MongoDB with its own journal
		// (docker-compose.yml, docs/operations.md).
		SQLiteURL: "file:" + dir + "/?_pragma=synchronous(normal)",
	})
	if err != nil {
		fail(logger, "start", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	logger.Warn("ferretdb listening", "addr", *listen, "data", dir)
	if err := f.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
		fail(logger, "run", err)
	}
}

func fail(logger *slog.Logger, what string, err error) {
	logger.Error(what, "error", err)
	os.Exit(1)
}
