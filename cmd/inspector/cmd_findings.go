package main

import (
	"fmt"
	"strings"

	"inspector/model"
	"inspector/store"
	"inspector/verdicts"
)

func init() {
	register("findings", "list findings [--round NAME] [--target CODE] [--format json|csv|table]", cmdFindings)
	register("decide", "decide TARGET INDICATOR confirm|dismiss [--subject S] [--note TEXT] [--by NAME]", cmdDecide)
	register("add-finding", "add-finding TARGET INDICATOR --detail TEXT [--subject S] — the inspector's own finding", cmdAddFinding)
	register("verdicts", "per-target verdicts [--round NAME] [--format json|csv|table]", cmdVerdicts)
	register("backup", "backup --out FILE — a consistent copy of the database while in use", cmdBackup)
}

func cmdFindings(e *env, args []string) error {
	fs := newFlags(e, "findings")
	round := fs.String("round", "", "round (default: the latest)")
	target := fs.String("target", "", "only this target")
	format := fs.String("format", "table", "json, csv or table")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	db, _, r, err := e.open(*round)
	if err != nil {
		return err
	}
	list, err := db.Findings(store.FindingFilter{Round: r.Name, Target: *target})
	if err != nil {
		return err
	}
	if list == nil {
		list = []model.Finding{}
	}
	for i := range list {
		if list[i].Evidence == nil {
			list[i].Evidence = []model.Evidence{}
		}
	}
	t := table{header: []string{"target", "indicator", "status", "source", "confidence", "subject", "detail"}}
	for _, f := range list {
		t.rows = append(t.rows, []string{f.Target, f.Indicator, f.Status, f.Source, f.Confidence, f.Subject, f.Detail})
	}
	return writeFormat(e.stdout, *format, list, t)
}

func cmdDecide(e *env, args []string) error {
	fs := newFlags(e, "decide")
	round := fs.String("round", "", "round (default: the latest)")
	subject := fs.String("subject", "", "only the finding with this subject (default: every finding of the indicator)")
	note := fs.String("note", "", "why")
	by := fs.String("by", "", "who decides (default: --by, the config, or the login name)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 3 || (pos[2] != "confirm" && pos[2] != "dismiss") {
		return fmt.Errorf("decide: usage: inspector decide TARGET INDICATOR confirm|dismiss [--subject S] [--note TEXT]")
	}
	if *by != "" {
		e.by = *by
	}
	db, _, r, err := e.open(*round)
	if err != nil {
		return err
	}
	list, err := db.Findings(store.FindingFilter{Round: r.Name, Target: pos[0], Indicator: pos[1], Subject: *subject})
	if err != nil {
		return err
	}
	if len(list) == 0 {
		what := fmt.Sprintf("%s on %s", pos[1], pos[0])
		if *subject != "" {
			what += fmt.Sprintf(" with subject %q", *subject)
		}
		return fmt.Errorf("decide: no finding %s in round %s", what, r.Name)
	}
	action := model.ActionConfirm
	if pos[2] == "dismiss" {
		action = model.ActionDismiss
	}
	at := now()
	ds := make([]model.Decision, len(list))
	for i, f := range list {
		ds[i] = model.Decision{FindingUID: f.UID, Action: action, Note: *note, By: e.inspector(), At: at}
	}
	if _, err := db.Decide(ds...); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: %d finding(s) of %s on %s by %s\n", pos[2], len(ds), pos[1], pos[0], e.inspector())
	return nil
}

func cmdAddFinding(e *env, args []string) error {
	fs := newFlags(e, "add-finding")
	round := fs.String("round", "", "round (default: the latest)")
	detail := fs.String("detail", "", "what was found (required)")
	subject := fs.String("subject", "", "what it is about (a URL, a column, a post); default: the detail")
	evidence := fs.String("evidence", "", "a URL or a screenshot file path")
	count := fs.Int("count", 1, "instances, for indicators that deduct per instance")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return fmt.Errorf("add-finding: usage: inspector add-finding TARGET INDICATOR --detail TEXT [--subject S]")
	}
	if strings.TrimSpace(*detail) == "" {
		return fmt.Errorf("add-finding: flag --detail is required")
	}
	if *count < 1 {
		return fmt.Errorf("add-finding: flag --count: must be at least 1")
	}
	db, cat, r, err := e.open(*round)
	if err != nil {
		return err
	}
	t, err := db.Target(pos[0])
	if err != nil {
		return fmt.Errorf("add-finding: %w", err)
	}
	if ok, err := db.IsMember(r.Name, t.Code); err != nil || !ok {
		return fmt.Errorf("add-finding: target %s is not in round %s", t.Code, r.Name)
	}
	ind := cat.Indicator(pos[1])
	if ind == nil || ind.Kind != t.Kind {
		msg := fmt.Sprintf("add-finding: unknown indicator %q for a %s", pos[1], t.Kind)
		if s := cat.Suggest(pos[1], t.Kind); len(s) > 0 {
			msg += "; did you mean " + strings.Join(s, ", ") + "?"
		}
		return fmt.Errorf("%s", msg)
	}
	subj := *subject
	if subj == "" {
		subj = *detail
	}
	f := model.Finding{Round: r.Name, Target: t.Code, Kind: t.Kind, Indicator: ind.Code, Subject: subj, Detail: *detail, Count: *count}
	if *evidence != "" {
		ev := model.Evidence{At: now()}
		if strings.Contains(*evidence, "://") {
			ev.URL = *evidence
		} else {
			ev.Screenshot = *evidence
		}
		f.Evidence = []model.Evidence{ev}
	}
	f, err = db.AddFinding(f, now())
	if err != nil {
		return fmt.Errorf("add-finding: %w", err)
	}
	// The inspector's own finding is confirmed by being written.
	if _, err := db.Decide(model.Decision{FindingUID: f.UID, Action: model.ActionConfirm, Note: "added by inspector", By: e.inspector(), At: now()}); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "added %s on %s: %s\n", ind.Code, t.Code, *detail)
	return nil
}

func cmdVerdicts(e *env, args []string) error {
	fs := newFlags(e, "verdicts")
	round := fs.String("round", "", "round (default: the latest)")
	format := fs.String("format", "table", "json, csv or table")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	db, cat, r, err := e.open(*round)
	if err != nil {
		return err
	}
	rows, err := verdicts.Round(db, cat, r.Name)
	if err != nil {
		return err
	}
	vs := make([]model.Verdict, 0, len(rows))
	t := table{header: []string{"target", "kind", "name", "verdict", "score", "reasons"}}
	for _, row := range rows {
		vs = append(vs, row.Verdict)
		t.rows = append(t.rows, []string{row.Target.Code, row.Target.Kind, row.Target.Name, row.Verdict.Verdict,
			fmt.Sprintf("%.2f", row.Verdict.Score), strings.Join(row.Verdict.Reasons, ",")})
	}
	return writeFormat(e.stdout, *format, vs, t)
}

func cmdBackup(e *env, args []string) error {
	fs := newFlags(e, "backup")
	out := fs.String("out", "", "the copy's path (must not exist)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return fmt.Errorf("backup: flag --out is required")
	}
	db, err := e.store()
	if err != nil {
		return err
	}
	if err := db.Backup(*out); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "backup written to %s\n", *out)
	return nil
}
