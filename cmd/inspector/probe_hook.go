package main

import (
	"context"
	"fmt"

	"inspector/probe"
	"inspector/tui"
)

// The review UI probes in the background (the p key, and the demo's
// sweep) through the same path as `inspector probe`.
func init() { probeHook = reviewProber }

func reviewProber(e *env, round string) func(ctx context.Context, codes []string, report func(tui.Progress)) error {
	return func(ctx context.Context, codes []string, report func(tui.Progress)) error {
		db, err := e.store()
		if err != nil {
			return err
		}
		cat, err := e.catalogue()
		if err != nil {
			return err
		}
		r, err := db.Round(round)
		if err != nil {
			return err
		}
		var cfg probe.Config
		if e.probeCfg != nil {
			cfg = *e.probeCfg
		}
		all, err := db.RoundTargets(round)
		if err != nil {
			return err
		}
		want := map[string]bool{}
		for _, c := range codes {
			want[c] = true
		}
		targets := all[:0:0]
		for _, t := range all {
			if want[t.Code] {
				targets = append(targets, t)
			}
		}
		if len(targets) == 0 {
			return fmt.Errorf("probe: none of %v is in round %s", codes, round)
		}
		wireDetectors()
		return probe.Run(ctx, cfg, targets, r.Name, r.AsOf, func(c *probe.Capture) error {
			_, err := saveCapture(db, cat, r.AsOf, c)
			return err
		}, func(p probe.Progress) {
			report(tui.Progress{Done: p.Done, Total: p.Total, Current: p.Name})
		})
	}
}
