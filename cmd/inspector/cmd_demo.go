package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"inspector/analysis"
	"inspector/catalog"
	"inspector/model"
	"inspector/probe"
	"inspector/province"
	"inspector/store"
)

func init() {
	register("demo", "demo [--serve] [--check [--small] [--indicators A,B]] — the synthetic province on loopback", cmdDemo)
}

func cmdDemo(e *env, args []string) error {
	fs := newFlags(e, "demo")
	serve := fs.Bool("serve", false, "only serve the province (prints its address and --resolve flags)")
	check := fs.Bool("check", false, "probe the province without the UI and score the findings against its ground truth")
	small := fs.Bool("small", false, "the small province (about 12 sites, 20 accounts)")
	seed := fs.Int64("seed", 1, "seed of the province")
	inds := fs.String("indicators", "", "comma-separated indicator codes to score (default: every machine-checkable one)")
	regDir := fs.String("registry-dir", filepath.Join(dataDir(), "demo-registry"), "with --serve: where the registry files are written")
	pf := addProbeFlags(fs)
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *serve {
		ctx, stop := interruptible()
		defer stop()
		fmt.Fprintf(e.stdout, "registry files (UTF-8, BOM and GBK CSV, XLSX) and ground truth in %s\n", *regDir)
		if err := province.Serve(ctx, province.Options{Seed: *seed, Small: *small}, *regDir, e.stdout); err != nil {
			return fmt.Errorf("demo --serve: %w", err)
		}
		return nil
	}
	p := province.New(province.Options{Seed: *seed, Small: *small})
	srv, err := p.Start()
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	defer srv.Close()
	cat, err := e.catalogue()
	if err != nil {
		return err
	}
	cfg, err := pf.config()
	if err != nil {
		return err
	}
	cfg.Resolve, cfg.BlockUnmapped = srv.Resolve(), true

	var db *store.DB
	if *check {
		// A fresh database of its own: a check never touches the user's.
		dir, err := os.MkdirTemp("", "inspector-demo-check-")
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		defer os.RemoveAll(dir)
		if db, err = store.Open(filepath.Join(dir, "demo.db")); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		defer db.Close()
	} else {
		if e.dbDefault {
			// The demo never mixes its province into the user's database.
			e.dbPath = filepath.Join(dataDir(), "demo.db")
		}
		if db, err = e.store(); err != nil {
			return err
		}
	}
	round := model.Round{Name: p.AsOf().Format("2006") + "Q" + quarter(p.AsOf()), AsOf: p.AsOf(), Seed: *seed, Created: now()}
	if *check {
		round.Name = "demo-check"
	}
	targets := append(p.Sites(), p.Accounts()...)
	if _, err := db.ImportTargets(targets, "demo province", now()); err != nil {
		return fmt.Errorf("demo: import the province's registry: %w", err)
	}
	var members []string
	for _, t := range targets {
		members = append(members, t.Code)
	}
	if _, err := db.Round(round.Name); err != nil {
		if err := db.CreateRound(round, members); err != nil {
			return fmt.Errorf("demo: open round %s: %w", round.Name, err)
		}
	}
	done, err := db.Probed(round.Name)
	if err != nil {
		return err
	}
	var todo []model.Target
	for _, t := range targets {
		if _, ok := done[t.Code]; !ok {
			todo = append(todo, t)
		}
	}
	if !*check && isTerminal(os.Stdout) && isTerminal(os.Stdin) {
		// The UI opens at once and fills in while the sweep runs behind it.
		e.probeCfg = &cfg
		for _, t := range todo {
			reviewBackground = append(reviewBackground, t.Code)
		}
		return cmdReview(e, []string{"--round", round.Name})
	}
	wireDetectors()
	ctx, stop := interruptible()
	defer stop()
	start := time.Now()
	var findings []model.Finding
	err = probe.Run(ctx, cfg, todo, round.Name, round.AsOf, func(c *probe.Capture) error {
		fsx, err := saveCapture(db, cat, round.AsOf, c)
		findings = append(findings, fsx...)
		return err
	}, func(pr probe.Progress) {
		if pr.Warning != "" {
			fmt.Fprintln(e.stderr, "demo:", pr.Warning)
		} else if isTerminal(os.Stderr) {
			fmt.Fprintf(e.stderr, "\r\033[K%s %d/%d %s", bar(pr.Done, pr.Total), pr.Done, pr.Total, pr.Target)
		}
	})
	if isTerminal(os.Stderr) {
		fmt.Fprintln(e.stderr)
	}
	sweep := time.Since(start)
	if err != nil {
		return fmt.Errorf("demo: probe: %w", err)
	}
	if !*check {
		fmt.Fprintf(e.stdout, "probed %d targets in %s; round %s in %s\n", len(todo), sweep.Round(time.Second), round.Name, db.Path())
		if rv, ok := commands["review"]; ok {
			return rv.run(e, []string{"--round", round.Name})
		}
		return nil
	}
	return demoCheck(e, cat, p, *inds, findings, len(todo), sweep)
}

// oneLineCut is s on one line, cut to n runes.
func oneLineCut(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

func quarter(t time.Time) string { return fmt.Sprint((int(t.Month())-1)/3 + 1) }

// demoCheck scores findings against the province's ground truth and fails
// when an indicator's recall is below 95 %, a veto is false (on a target
// with no ground truth of that veto) or a veto lands on a target seeded
// clean.
func demoCheck(e *env, cat *catalog.Catalogue, p *province.Province, only string, findings []model.Finding, n int, sweep time.Duration) error {
	var inds []string
	if only != "" {
		for _, c := range strings.Split(only, ",") {
			c = strings.TrimSpace(c)
			if cat.Indicator(c) == nil {
				return fmt.Errorf("demo: unknown indicator %q (did you mean %s?)", c, strings.Join(cat.Suggest(c, ""), ", "))
			}
			inds = append(inds, c)
		}
	} else {
		for _, ind := range cat.Indicators {
			if ind.Machine {
				inds = append(inds, ind.Code)
			}
		}
	}
	addr := map[string]string{}
	for _, t := range append(p.Sites(), p.Accounts()...) {
		addr[t.Code] = t.URL
	}
	var exp []analysis.Expected
	for _, t := range p.Truth() {
		if !t.Manual {
			exp = append(exp, analysis.Expected{Target: t.Target, Indicator: t.Indicator, Subject: t.Subject,
				Whole: analysis.WholeTarget(t.Subject, addr[t.Target])})
		}
	}
	scores := analysis.Score(inds, exp, findings)
	fmt.Fprintf(e.stdout, "swept %d targets in %s (check point %s)\n\n", n, sweep.Round(time.Millisecond), p.AsOf().Format("2006-01-02"))
	// false: findings on a target with no ground truth of the indicator;
	// other: further findings on a target whose defect was found (another
	// subject for it), neither recall nor false.
	fmt.Fprintf(e.stdout, "%-32s %8s %6s %6s %6s %7s\n", "indicator", "expected", "found", "false", "other", "recall")
	var bad []string
	for _, sc := range scores {
		mark := ""
		if sc.Recall() < 0.95 {
			mark = "  ← below 95 %"
			bad = append(bad, fmt.Sprintf("%s recall %.0f %%", sc.Indicator, 100*sc.Recall()))
		}
		fmt.Fprintf(e.stdout, "%-32s %8d %6d %6d %6d %6.0f%%%s\n", sc.Indicator, sc.Expected, sc.Found, sc.False, sc.Other, 100*sc.Recall(), mark)
		for _, m := range sc.Missed {
			fmt.Fprintf(e.stdout, "    missed %s %s\n", m.Target, m.Subject)
		}
		for _, f := range sc.Extra {
			fmt.Fprintf(e.stdout, "    false  %s %s: %s\n", f.Target, f.Subject, oneLineCut(f.Detail, 100))
		}
		if ind := cat.Indicator(sc.Indicator); ind != nil && ind.Type == catalog.TypeVeto && sc.False > 0 {
			// a veto where none was seeded fails a target wrongly
			bad = append(bad, fmt.Sprintf("%s %d false", sc.Indicator, sc.False))
		}
	}
	// A veto on a target seeded clean is the worst mistake: a wrongly
	// failed site in a published bulletin.
	var vetoClean []string
	want := map[string]bool{}
	for _, c := range inds {
		want[c] = true
	}
	for _, f := range findings {
		ind := cat.Indicator(f.Indicator)
		if want[f.Indicator] && ind != nil && ind.Type == catalog.TypeVeto && p.Clean(f.Target) {
			vetoClean = append(vetoClean, f.Target+" "+f.Indicator+" "+f.Subject)
		}
	}
	sort.Strings(vetoClean)
	for _, v := range vetoClean {
		fmt.Fprintf(e.stdout, "veto on a clean target: %s\n", v)
	}
	if len(vetoClean) > 0 {
		bad = append(bad, fmt.Sprintf("%d vetoes on clean targets", len(vetoClean)))
	}
	if len(bad) > 0 {
		return fmt.Errorf("demo --check failed: %s", strings.Join(bad, "; "))
	}
	fmt.Fprintln(e.stdout, "\nevery indicator at or above 95 % recall, no veto on a clean target")
	return nil
}
