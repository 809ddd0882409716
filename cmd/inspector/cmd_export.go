package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"inspector/analysis"
	"inspector/model"
	"inspector/probe"
	"inspector/report"
	"inspector/store"
)

func init() {
	register("export", "export [--round NAME] --out DIR [--draft] [--office NAME] [--date YYYY-MM-DD] — the bulletin draft (.md, .docx) and its attachments (.xlsx)", cmdExport)
}

func cmdExport(e *env, args []string) error {
	fs := newFlags(e, "export")
	round := fs.String("round", "", "the round (default: the latest one)")
	out := fs.String("out", "", "directory to write the bulletin and attachments into (required)")
	draft := fs.Bool("draft", false, "export even with unreviewed targets, marking them 待核实")
	office := fs.String("office", "", "the issuing office (default: the templates' office.json)")
	date := fs.String("date", "", "the issue date, YYYY-MM-DD (default: the round's check point)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fmt.Errorf("export: unexpected argument %q (usage: inspector export [--round NAME] --out DIR [--draft])", pos[0])
	}
	if strings.TrimSpace(*out) == "" {
		return fmt.Errorf("export: flag --out is required")
	}
	opt := report.Options{Draft: *draft, Office: *office}
	if *date != "" {
		if opt.Date, err = parseDate("--date", *date); err != nil {
			return err
		}
	}
	db, cat, r, err := e.open(*round)
	if err != nil {
		return err
	}
	if opt.Newest, err = newestItems(db, r); err != nil {
		return err
	}
	b, err := report.Build(db, cat, r.Name, opt)
	if err != nil {
		return err
	}
	if err := report.Write(*out, b); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "round %s: sites %d/%d passed (%s%%), accounts %d/%d passed (%s%%)\n",
		b.Round.Name, b.Sites.Passed, b.Sites.Checked, b.Sites.Rate, b.Accounts.Passed, b.Accounts.Checked, b.Accounts.Rate)
	if len(b.Unreviewed) > 0 {
		fmt.Fprintf(e.stdout, "draft: %d targets not reviewed, marked in the text\n", len(b.Unreviewed))
	}
	for _, f := range b.Files() {
		fmt.Fprintln(e.stdout, filepath.Join(*out, f))
	}
	return nil
}

// newestItems reads each target's newest item from its latest stored
// capture (offline), for the watch list.
func newestItems(db *store.DB, r model.Round) (map[string]time.Time, error) {
	caps, err := db.LatestCaptures(r.Name)
	if err != nil {
		return nil, err
	}
	out := map[string]time.Time{}
	for code, o := range caps {
		var c probe.Capture
		if err := json.Unmarshal(o.Data, &c); err != nil {
			return nil, fmt.Errorf("capture of %s: %w", code, err)
		}
		if t, ok := analysis.Newest(r.AsOf, &c); ok {
			out[code] = t
		}
	}
	return out, nil
}
