package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"inspector/assets"
	"inspector/catalog"
	"inspector/model"
	"inspector/probe"
	"inspector/store"
)

// env is what every command shares: global flags, the database (opened on
// first use) and the catalogue.
type env struct {
	dbPath string
	// dbDefault is true when neither --db nor $INSPECTOR_DB named the
	// database (the demo then keeps to a database of its own).
	dbDefault bool
	lang      string
	by        string
	stdout    io.Writer
	stderr    io.Writer

	db  *store.DB
	cat *catalog.Catalogue

	// probeCfg is the network set-up a background probe from the review
	// uses (the demo maps the province's hosts to loopback here).
	probeCfg *probe.Config
}

// globalFlags are accepted before or after the command name.
var globalFlags = map[string]bool{"--db": true, "--lang": true, "--by": true}

func newEnv(args []string) (*env, []string, error) {
	e := &env{stdout: os.Stdout, stderr: os.Stderr}
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, val, hasVal := strings.Cut(a, "=")
		if !globalFlags[name] {
			rest = append(rest, a)
			continue
		}
		if !hasVal {
			if i+1 >= len(args) {
				return nil, nil, fmt.Errorf("flag %s needs a value", name)
			}
			i++
			val = args[i]
		}
		switch name {
		case "--db":
			e.dbPath = val
		case "--lang":
			e.lang = val
		case "--by":
			e.by = val
		}
	}
	if e.dbPath == "" {
		e.dbPath = os.Getenv("INSPECTOR_DB")
	}
	if e.dbPath == "" {
		e.dbPath, e.dbDefault = defaultDBPath(), true
	}
	if e.lang == "" {
		e.lang = os.Getenv("INSPECTOR_LANG")
	}
	if e.lang == "" {
		e.lang = "zh"
	}
	if e.lang != "zh" && e.lang != "en" {
		return nil, nil, fmt.Errorf("flag --lang: %q is not zh or en", e.lang)
	}
	assets.OverrideDir = dataDir()
	return e, rest, nil
}

// store opens the database on first use.
func (e *env) store() (*store.DB, error) {
	if e.db == nil {
		db, err := store.Open(e.dbPath)
		if err != nil {
			return nil, err
		}
		e.db = db
	}
	return e.db, nil
}

// catalogue loads the indicator catalogue on first use.
func (e *env) catalogue() (*catalog.Catalogue, error) {
	if e.cat == nil {
		c, err := catalog.Load()
		if err != nil {
			return nil, err
		}
		e.cat = c
	}
	return e.cat, nil
}

func (e *env) close() {
	if e.db != nil {
		e.db.Close()
	}
}

// inspector is who decides: --by, else $INSPECTOR_BY, else "inspector" in
// config.json of the data directory, else the login name.
func (e *env) inspector() string {
	if e.by != "" {
		return e.by
	}
	if v := os.Getenv("INSPECTOR_BY"); v != "" {
		return v
	}
	if v := configInspector(); v != "" {
		return v
	}
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "inspector"
}

// now is the wall clock for timestamps of decisions and imports (never for
// staleness, which comes from the round's check point).
func now() time.Time { return time.Now().UTC() }

// dataDir is the user's data directory for inspector.
func dataDir() string {
	if v := os.Getenv("INSPECTOR_HOME"); v != "" {
		return v
	}
	switch runtime.GOOS {
	case "windows":
		if v := os.Getenv("LOCALAPPDATA"); v != "" {
			return filepath.Join(v, "inspector")
		}
	case "darwin":
		if h, err := os.UserHomeDir(); err == nil {
			return filepath.Join(h, "Library", "Application Support", "inspector")
		}
	}
	if v := os.Getenv("XDG_DATA_HOME"); v != "" {
		return filepath.Join(v, "inspector")
	}
	if h, err := os.UserHomeDir(); err == nil {
		return filepath.Join(h, ".local", "share", "inspector")
	}
	return "."
}

func defaultDBPath() string { return filepath.Join(dataDir(), "inspector.db") }

// newFlags makes a subcommand's flag set that reports errors instead of
// exiting, and names the command in them.
func newFlags(e *env, name string) *flag.FlagSet {
	fs := flag.NewFlagSet("inspector "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	return fs
}

// parse parses flags that may be interleaved with positional arguments.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if err == flag.ErrHelp {
				return nil, errHelpShown
			}
			return nil, fmt.Errorf("%s: %w", fs.Name(), err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// multi is a repeatable string flag.
type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

// open is where most commands start: the store, the catalogue, and the
// round named by --round (else the latest one).
func (e *env) open(round string) (*store.DB, *catalog.Catalogue, model.Round, error) {
	db, err := e.store()
	if err != nil {
		return nil, nil, model.Round{}, err
	}
	cat, err := e.catalogue()
	if err != nil {
		return nil, nil, model.Round{}, err
	}
	r, err := db.RoundOrLatest(round)
	return db, cat, r, err
}

// configInspector reads the inspector's name from config.json in the data
// directory ({"inspector": "张三"}); a missing or unreadable file is no name.
func configInspector() string {
	b, err := os.ReadFile(filepath.Join(dataDir(), "config.json"))
	if err != nil {
		return ""
	}
	var c struct {
		Inspector string `json:"inspector"`
	}
	if json.Unmarshal(b, &c) != nil {
		return ""
	}
	return strings.TrimSpace(c.Inspector)
}
