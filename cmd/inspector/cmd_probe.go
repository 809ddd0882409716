package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"inspector/analysis"
	"inspector/catalog"
	"inspector/detect"
	"inspector/model"
	"inspector/probe"
	"inspector/store"
)

func init() {
	register("probe", "probe [--round NAME] [--target ID]... [--resolve HOST=ADDR:PORT]... [--block-unmapped] [--concurrency N] [--per-host N] [--timeout D] [--force]", cmdProbe)
	register("analyze", "analyze [--round NAME] — re-derive findings from stored observations, offline", cmdAnalyze)
	register("watch", "watch [--round NAME] [--interval D] [--until DATE] — spaced home-page visits for the availability rule", cmdWatch)
}

// probeFlags are the network flags shared by probe, watch and demo.
type probeFlags struct {
	resolve       multi
	blockUnmapped *bool
	concurrency   *int
	perHost       *int
	timeout       *time.Duration
	noBrowser     *bool
}

func addProbeFlags(fs *flag.FlagSet) *probeFlags {
	pf := &probeFlags{}
	fs.Var(&pf.resolve, "resolve", "HOST=ADDR:PORT: send every connection for HOST (any port) to ADDR:PORT (repeatable)")
	pf.blockUnmapped = fs.Bool("block-unmapped", false, "refuse every host that no --resolve names, without DNS")
	pf.concurrency = fs.Int("concurrency", 4, "targets probed at once (one browser tab each)")
	pf.perHost = fs.Int("per-host", 2, "requests in flight per host")
	pf.timeout = fs.Duration("timeout", 15*time.Second, "time limit of one request or page")
	pf.noBrowser = fs.Bool("no-browser", false, "raw HTML only, no Chromium")
	return pf
}

func (pf *probeFlags) config() (probe.Config, error) {
	m, err := probe.ParseResolve(pf.resolve)
	if err != nil {
		return probe.Config{}, err
	}
	return probe.Config{Resolve: m, BlockUnmapped: *pf.blockUnmapped, Concurrency: *pf.concurrency,
		PerHost: *pf.perHost, Timeout: *pf.timeout, NoBrowser: *pf.noBrowser}, nil
}

// interruptible is ctx cancelled by Ctrl-C or SIGTERM.
func interruptible() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// wireDetectors lets the probe ask the detectors which hosts are spam
// (never fetched).
func wireDetectors() { probe.SpamHost = detect.SpamHost }

// saveCapture stores a capture with its screenshots, then its findings.
func saveCapture(db *store.DB, cat *catalog.Catalogue, asOf time.Time, c *probe.Capture) ([]model.Finding, error) {
	data, err := json.Marshal(c)
	if err != nil {
		return nil, fmt.Errorf("encode capture of %s: %w", c.Target.Code, err)
	}
	var blobs []store.Blob
	for h, b := range c.Shots {
		blobs = append(blobs, store.Blob{Hash: h, Mime: "image/jpeg", Data: b})
	}
	if _, err := db.SaveObservation(store.Observation{Round: c.Round, Target: c.Target.Code, Kind: store.ObsCapture, At: c.Finished, Data: data}, blobs); err != nil {
		return nil, fmt.Errorf("store capture of %s: %w", c.Target.Code, err)
	}
	fs := analysis.Analyze(cat, asOf, c)
	if err := db.ReplaceMachineFindings(c.Round, c.Target.Code, fs, now()); err != nil {
		return nil, fmt.Errorf("store findings of %s: %w", c.Target.Code, err)
	}
	return fs, nil
}

func cmdProbe(e *env, args []string) error {
	fs := newFlags(e, "probe")
	roundName := fs.String("round", "", "round (default: the latest)")
	var only multi
	fs.Var(&only, "target", "probe only this target code (repeatable)")
	force := fs.Bool("force", false, "probe targets already captured in the round again")
	pf := addProbeFlags(fs)
	if _, err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := pf.config()
	if err != nil {
		return err
	}
	db, cat, r, err := e.open(*roundName)
	if err != nil {
		return fmt.Errorf("probe: %w", err)
	}
	all, err := db.RoundTargets(r.Name)
	if err != nil {
		return err
	}
	done := map[string]time.Time{}
	if !*force {
		if done, err = db.Probed(r.Name); err != nil {
			return err
		}
	}
	want := map[string]bool{}
	for _, t := range only {
		want[t] = true
	}
	var targets []model.Target
	skipped := 0
	for _, t := range all {
		if len(want) > 0 && !want[t.Code] {
			continue
		}
		if _, ok := done[t.Code]; ok && len(want) == 0 {
			skipped++
			continue
		}
		targets = append(targets, t)
	}
	for code := range want {
		found := false
		for _, t := range all {
			found = found || t.Code == code
		}
		if !found {
			return fmt.Errorf("probe: target %s is not in round %s", code, r.Name)
		}
	}
	if skipped > 0 {
		fmt.Fprintf(e.stderr, "probe: %d targets already captured in %s (--force probes them again)\n", skipped, r.Name)
	}
	wireDetectors()
	ctx, stop := interruptible()
	defer stop()
	start := time.Now()
	tty := isTerminal(os.Stderr)
	nf := 0
	m := newMeter(start)
	err = probe.Run(ctx, cfg, targets, r.Name, r.AsOf, func(c *probe.Capture) error {
		fsx, err := saveCapture(db, cat, r.AsOf, c)
		nf += len(fsx)
		return err
	}, func(p probe.Progress) {
		if p.Warning != "" {
			fmt.Fprintln(e.stderr, "probe:", p.Warning)
			return
		}
		line := m.line(p, time.Now())
		if tty {
			fmt.Fprintf(e.stderr, "\r\033[K%s", bar(p.Done, p.Total)+" "+line)
		} else {
			fmt.Fprintln(e.stderr, line)
		}
	})
	if tty {
		fmt.Fprintln(e.stderr)
	}
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("probe: interrupted; finished targets are kept, run probe again to resume")
		}
		return fmt.Errorf("probe: %w", err)
	}
	fmt.Fprintf(e.stdout, "probed %d targets of round %s in %s: %d findings\n", len(targets), r.Name, time.Since(start).Round(time.Second), nf)
	return nil
}

// analyzeRound re-derives every target's findings from the stored
// captures and visits of a round; it returns the number of findings.
func analyzeRound(db *store.DB, cat *catalog.Catalogue, r model.Round) (int, error) {
	caps, err := db.LatestCaptures(r.Name)
	if err != nil {
		return 0, err
	}
	visits, err := db.Observations(r.Name, "", store.ObsVisit)
	if err != nil {
		return 0, err
	}
	byTarget := map[string][]probe.Visit{}
	for _, o := range visits {
		var v probe.Visit
		if err := json.Unmarshal(o.Data, &v); err != nil {
			return 0, fmt.Errorf("visit observation %d: %w", o.ID, err)
		}
		byTarget[o.Target] = append(byTarget[o.Target], v)
	}
	targets, err := db.RoundTargets(r.Name)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, t := range targets {
		var fs []model.Finding
		if o, ok := caps[t.Code]; ok {
			var c probe.Capture
			if err := json.Unmarshal(o.Data, &c); err != nil {
				return n, fmt.Errorf("capture of %s: %w", t.Code, err)
			}
			fs = analysis.Analyze(cat, r.AsOf, &c)
		}
		if vs := byTarget[t.Code]; len(vs) > 0 {
			if f := analysis.AvailabilityFinding(cat, r.AsOf, r.Name, t, vs); f != nil {
				// Spaced visits decide availability: they replace the
				// provisional judgement of a single run.
				kept := fs[:0]
				for _, x := range fs {
					if x.Indicator != analysis.IndUnreachable {
						kept = append(kept, x)
					}
				}
				fs = append(kept, *f)
			}
		}
		if _, ok := caps[t.Code]; !ok && len(fs) == 0 {
			continue
		}
		if err := db.ReplaceMachineFindings(r.Name, t.Code, fs, now()); err != nil {
			return n, fmt.Errorf("store findings of %s: %w", t.Code, err)
		}
		n += len(fs)
	}
	return n, nil
}

func cmdAnalyze(e *env, args []string) error {
	fs := newFlags(e, "analyze")
	roundName := fs.String("round", "", "round (default: the latest)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	db, cat, r, err := e.open(*roundName)
	if err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	n, err := analyzeRound(db, cat, r)
	if err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	fmt.Fprintf(e.stdout, "analyzed round %s: %d findings\n", r.Name, n)
	return nil
}

func cmdWatch(e *env, args []string) error {
	fs := newFlags(e, "watch")
	roundName := fs.String("round", "", "round (default: the latest)")
	interval := fs.Duration("interval", 72*time.Minute, "time between visits to each home page (72m: 20 a day)")
	until := fs.String("until", "", "stop at this date, YYYY-MM-DD (default: until interrupted)")
	pf := addProbeFlags(fs)
	if _, err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := pf.config()
	if err != nil {
		return err
	}
	var end time.Time
	if *until != "" {
		if end, err = parseDate("--until", *until); err != nil {
			return err
		}
	}
	db, _, r, err := e.open(*roundName)
	if err != nil {
		return fmt.Errorf("watch: %w", err)
	}
	all, err := db.RoundTargets(r.Name)
	if err != nil {
		return err
	}
	var sites []model.Target
	for _, t := range all {
		if t.Kind == model.KindSite {
			sites = append(sites, t)
		}
	}
	ctx, stop := interruptible()
	defer stop()
	n, failed := 0, 0
	err = probe.VisitEvery(ctx, cfg, sites, *interval, end, func(t model.Target, v probe.Visit) error {
		data, err := json.Marshal(v)
		if err != nil {
			return err
		}
		n++
		if !v.OK {
			failed++
			fmt.Fprintf(e.stderr, "watch: %s %s failed: %s\n", t.Code, t.URL, v.Err)
		}
		_, err = db.SaveObservation(store.Observation{Round: r.Name, Target: t.Code, Kind: store.ObsVisit, At: v.At, Data: data}, nil)
		return err
	})
	fmt.Fprintf(e.stdout, "watch: %d visits, %d failed (inspector analyze applies the availability rule)\n", n, failed)
	if err != nil && ctx.Err() == nil {
		return fmt.Errorf("watch: %w", err)
	}
	return nil
}
