package main

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"syscall"

	"github.com/charmbracelet/x/term"

	"inspector/tui"
)

func init() {
	register("review", "review [--round NAME] [--mine] — the interactive review (the default command)", cmdReview)
}

// probeHook, when set (by the lead's wiring of the probe), gives the review
// a background prober for the round: re-probe with p, and the demo's sweep.
var probeHook func(e *env, round string) func(ctx context.Context, targets []string, report func(tui.Progress)) error

// reviewBackground lists targets to probe when the review opens (the
// demo sets it before calling cmdReview).
var reviewBackground []string

func cmdReview(e *env, args []string) error {
	fs := newFlags(e, "review")
	round := fs.String("round", "", "round (default: the latest)")
	mine := fs.Bool("mine", false, "only the targets assigned to me (--by)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if !term.IsTerminal(os.Stdout.Fd()) || !term.IsTerminal(os.Stdin.Fd()) {
		return errors.New("review: needs a terminal (stdin and stdout); for scripts use findings, decide, add-finding and verdicts")
	}
	db, cat, r, err := e.open(*round)
	if err != nil {
		return err
	}
	opt := tui.Options{DB: db, Cat: cat, Round: r.Name, By: e.inspector(), Lang: e.lang, Mine: *mine, Background: reviewBackground}
	if probeHook != nil {
		opt.Probe = probeHook(e, r.Name)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	return tui.Run(ctx, opt)
}
