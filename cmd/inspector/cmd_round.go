package main

import (
	"fmt"
	"strings"
	"time"

	"inspector/model"
	"inspector/sample"
	"inspector/verdicts"
)

func init() {
	register("round", "round new NAME --as-of DATE … | round list | round assign NAME --to INSPECTOR --targets …", cmdRound)
}

func cmdRound(e *env, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("round: usage: inspector round new|list|assign …")
	}
	switch args[0] {
	case "new":
		return roundNew(e, args[1:])
	case "list":
		return roundList(e, args[1:])
	case "assign":
		return roundAssign(e, args[1:])
	}
	return fmt.Errorf("round: unknown subcommand %q (new, list, assign)", args[0])
}

func parseDate(flagName, s string) (time.Time, error) {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return t, fmt.Errorf("flag %s: %q is not a date like 2020-09-28", flagName, s)
	}
	return t, nil
}

func roundNew(e *env, args []string) error {
	fs := newFlags(e, "round new")
	asOf := fs.String("as-of", "", "the check point, YYYY-MM-DD (required)")
	sites := fs.String("sample-sites", "100%", "share of the registry's sites: 0.1 or 10%")
	accounts := fs.String("sample-accounts", "10%", "share of the registry's accounts: 0.1 or 10%")
	seed := fs.Int64("seed", 1, "seed of the reproducible sample")
	deadline := fs.String("deadline", "", "rectification deadline, YYYY-MM-DD")
	previous := fs.String("previous", "", "the previous round (default: the latest one)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("round new: usage: inspector round new NAME --as-of YYYY-MM-DD")
	}
	if *asOf == "" {
		return fmt.Errorf("round new: flag --as-of is required")
	}
	r := model.Round{Name: pos[0], Seed: *seed, Created: now(), Previous: *previous}
	if r.AsOf, err = parseDate("--as-of", *asOf); err != nil {
		return err
	}
	if *deadline != "" {
		if r.Deadline, err = parseDate("--deadline", *deadline); err != nil {
			return err
		}
		if r.Deadline.Before(r.AsOf) {
			return fmt.Errorf("flag --deadline: %s is before the check point %s", *deadline, *asOf)
		}
	}
	fSites, err := sample.ParseShare("--sample-sites", *sites)
	if err != nil {
		return err
	}
	fAccounts, err := sample.ParseShare("--sample-accounts", *accounts)
	if err != nil {
		return err
	}
	db, err := e.store()
	if err != nil {
		return err
	}
	cat, err := e.catalogue()
	if err != nil {
		return err
	}
	if r.Previous == "" {
		if prev, err := db.LatestRound(); err == nil {
			r.Previous = prev.Name
		}
	}
	// Last round's failures are always rechecked.
	must := map[string]bool{}
	if r.Previous != "" {
		if _, err := db.Round(r.Previous); err != nil {
			return fmt.Errorf("flag --previous: %w", err)
		}
		rows, err := verdicts.Round(db, cat, r.Previous)
		if err != nil {
			return err
		}
		for _, row := range rows {
			if row.Verdict.Verdict == model.VerdictFail {
				must[row.Target.Code] = true
			}
		}
	}
	var members []string
	for _, kind := range []string{model.KindSite, model.KindAccount} {
		ts, err := db.Targets(kind)
		if err != nil {
			return err
		}
		share := fSites
		if kind == model.KindAccount {
			share = fAccounts
		}
		members = append(members, sample.Draw(ts, share, *seed, must)...)
	}
	if len(members) == 0 {
		return fmt.Errorf("round new: the registry is empty (inspector import sites FILE first)")
	}
	if err := db.CreateRound(r, members); err != nil {
		return fmt.Errorf("round new: %w", err)
	}
	fmt.Fprintf(e.stdout, "round %s: check point %s, %d targets", r.Name, *asOf, len(members))
	if r.Previous != "" {
		fmt.Fprintf(e.stdout, " (previous %s, %d failures rechecked)", r.Previous, len(must))
	}
	fmt.Fprintln(e.stdout)
	return nil
}

func roundList(e *env, args []string) error {
	fs := newFlags(e, "round list")
	format := fs.String("format", "table", "json, csv or table")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	db, err := e.store()
	if err != nil {
		return err
	}
	rs, err := db.Rounds()
	if err != nil {
		return err
	}
	type jr struct {
		Name     string `json:"name"`
		AsOf     string `json:"as_of"`
		Seed     int64  `json:"seed"`
		Deadline string `json:"deadline"`
		Previous string `json:"previous"`
		Sites    int    `json:"sites"`
		Accounts int    `json:"accounts"`
	}
	js := []jr{}
	t := table{header: []string{"name", "as_of", "sites", "accounts", "seed", "deadline", "previous"}}
	for _, r := range rs {
		d := ""
		if !r.Deadline.IsZero() {
			d = r.Deadline.Format("2006-01-02")
		}
		js = append(js, jr{r.Name, r.AsOf.Format("2006-01-02"), r.Seed, d, r.Previous, r.Sites, r.Accounts})
		t.rows = append(t.rows, []string{r.Name, r.AsOf.Format("2006-01-02"), fmt.Sprint(r.Sites), fmt.Sprint(r.Accounts), fmt.Sprint(r.Seed), d, r.Previous})
	}
	return writeFormat(e.stdout, *format, js, t)
}

func roundAssign(e *env, args []string) error {
	fs := newFlags(e, "round assign")
	to := fs.String("to", "", "the inspector")
	var targets multi
	fs.Var(&targets, "targets", "target codes, comma-separated or repeated")
	prefix := fs.String("prefix", "", "every target whose code starts with this")
	region := fs.String("region", "", "every target of this prefecture / region")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *to == "" {
		return fmt.Errorf("round assign: usage: inspector round assign NAME --to INSPECTOR --targets CODE,… | --prefix P | --region R")
	}
	db, err := e.store()
	if err != nil {
		return err
	}
	if _, err := db.Round(pos[0]); err != nil {
		return err
	}
	var codes []string
	for _, t := range targets {
		for _, c := range strings.Split(t, ",") {
			if c = strings.TrimSpace(c); c != "" {
				codes = append(codes, c)
			}
		}
	}
	if *prefix != "" || *region != "" {
		ts, err := db.RoundTargets(pos[0])
		if err != nil {
			return err
		}
		for _, t := range ts {
			if (*prefix != "" && strings.HasPrefix(t.Code, *prefix)) || (*region != "" && t.Region == *region) {
				codes = append(codes, t.Code)
			}
		}
	}
	if len(codes) == 0 {
		return fmt.Errorf("round assign: no targets selected")
	}
	if err := db.Assign(pos[0], *to, codes); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "round %s: %d targets assigned to %s\n", pos[0], len(codes), *to)
	return nil
}
