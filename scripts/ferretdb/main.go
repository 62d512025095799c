// Command ferretdb runs an embedded FerretDB 1.24 (telemetry off) for hydrawatch's local
// stack and tests, on its PostgreSQL backend (--postgresql-url) or its SQLite backend
// (--data-dir). It is built from this tiny module because `go install .../cmd/ferretdb`
// panics at start on a missing version file.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
	_ "modernc.org/sqlite"
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
	if *pgURL == "" {
		go idIndexes(ctx, abs, logger)
	}
	if err := f.Run(ctx); err != nil {
		fail("ferretdb run: %v", err)
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(1)
}

// idIndexes works around FerretDB 1.24's SQLite backend reading by _id with a full table scan: it pushes
// `{_id: <string>}` down as `WHERE _ferretdb_sjson->'$._id' = ?`, but creates its unique _id index on
// `_ferretdb_sjson->"_id"`, a different expression, so SQLite never uses it (EXPLAIN QUERY PLAN: SCAN). Every
// second, each collection table of each database gets an index on the very expression of the pushed-down query
// (created once; dropped with its table). FerretDB's own metadata does not list it; only SQLite's planner uses it.
func idIndexes(ctx context.Context, dir string, logger *slog.Logger) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		files, _ := filepath.Glob(filepath.Join(dir, "*.sqlite"))
		for _, f := range files {
			if err := idIndexesIn(ctx, f); err != nil {
				logger.Debug("id index", "file", f, "error", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

func idIndexesIn(ctx context.Context, file string) error {
	db, err := sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT c.table_name FROM _ferretdb_collections c WHERE NOT EXISTS `+
		`(SELECT 1 FROM sqlite_master m WHERE m.type = 'index' AND m.name = c.table_name || '__id_path')`)
	if err != nil {
		return err
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return err
		}
		tables = append(tables, t)
	}
	rows.Close()
	for _, t := range tables {
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (_ferretdb_sjson->'$._id')`, t+"__id_path", t)
		if _, err := db.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}
