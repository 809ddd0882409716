// Command inspector is the command line of the inspection workbench. It is
// thin: it parses flags and calls the packages that do the work.
package main

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
)

// command is one subcommand: run gets the arguments after its name.
type command struct {
	summary string
	run     func(e *env, args []string) error
}

// commands is the table every subcommand file registers into (in init).
var commands = map[string]command{}

func register(name, summary string, run func(*env, []string) error) {
	commands[name] = command{summary: summary, run: run}
}

func main() {
	os.Exit(run(os.Args[1:]))
}

// run is main without os.Exit, for tests.
func run(args []string) int {
	e, rest, err := newEnv(args)
	if err != nil {
		fmt.Fprintln(os.Stderr, "inspector:", err)
		return 2
	}
	defer e.close()
	name := "review"
	if len(rest) > 0 {
		name, rest = rest[0], rest[1:]
	}
	if name == "help" || name == "-h" || name == "--help" {
		usage(os.Stdout)
		return 0
	}
	cmd, ok := commands[name]
	if !ok {
		fmt.Fprintf(os.Stderr, "inspector: unknown command %q (inspector help lists them)\n", name)
		return 2
	}
	if err := cmd.run(e, rest); err != nil {
		if errors.Is(err, errHelpShown) {
			return 0
		}
		printError(err)
		return 1
	}
	return 0
}

// errHelpShown ends a command after -h printed its flags.
var errHelpShown = errors.New("help shown")

// detailer is an error with more lines than its one-line summary (the
// importer's list of bad rows).
type detailer interface{ Details() []string }

func printError(err error) {
	fmt.Fprintln(os.Stderr, "inspector:", oneLine(err.Error()))
	var d detailer
	if errors.As(err, &d) {
		for _, line := range d.Details() {
			fmt.Fprintln(os.Stderr, "  "+line)
		}
	}
}

func oneLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func usage(w *os.File) {
	fmt.Fprintln(w, "inspector — government website and new-media inspection workbench")
	fmt.Fprintln(w, "\nusage: inspector [--db PATH] [--lang zh|en] [--by NAME] COMMAND [flags]")
	fmt.Fprintln(w, "\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-12s %s\n", n, commands[n].summary)
	}
	fmt.Fprintf(w, "\ndatabase: --db, else $INSPECTOR_DB, else %s\n", defaultDBPath())
	fmt.Fprintf(w, "office overrides (catalogue, templates, lexicons): %s\n", dataDir())
}
