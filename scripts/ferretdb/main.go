// Command ferretdb runs an embedded FerretDB 1.24 (telemetry off) for hydrawatch's local
// stack and tests, on its PostgreSQL backend (--postgresql-url) or its SQLite backend
// (--data-dir). It is built from this tiny module because `go install .../cmd/ferretdb`
// panics at start on a missing version file.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to listen on")
	dataDir := flag.String("data-dir", "data/ferretdb", "directory for the SQLite databases")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	pgURL := flag.String("postgresql-url", "", "PostgreSQL URL: use the PostgreSQL backend instead of SQLite")
	flag.Parse()

	// Telemetry is disabled and locked by the embedded package; the env var makes it explicit.
	_ = os.Setenv("FERRETDB_TELEMETRY", "disable")

	abs, err := filepath.Abs(*dataDir)
	if err != nil {
		fail("data dir %q: %v", *dataDir, err)
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		fail("cannot create data dir %q: %v", abs, err)
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fail("bad --log-level %q: %v", *logLevel, err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	cfg := &ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + abs + "/",
	}
	backend := "SQLite, data in " + abs
	if *pgURL != "" {
		cfg.Handler = "postgresql"
		cfg.SQLiteURL = ""
		cfg.PostgreSQLURL = *pgURL
		backend = "PostgreSQL"
	}
	f, err := ferretdb.New(cfg)
	if err != nil {
		fail("ferretdb: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	fmt.Fprintf(os.Stderr, "ferretdb listening on %s (%s)\n", *listen, backend)
	if err := f.Run(ctx); err != nil {
		fail("ferretdb run: %v", err)
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(1)
}
