package main

import (
	"fmt"

	"inspector/store"
)

func init() {
	register("pack", "pack --round NAME [--targets-of INSPECTOR] --out FILE — a bundle for an offline laptop", cmdPack)
	register("merge", "merge FILE... — fold bundles back (idempotent, any order)", cmdMerge)
}

func cmdPack(e *env, args []string) error {
	fs := newFlags(e, "pack")
	round := fs.String("round", "", "the round (default: the latest)")
	targetsOf := fs.String("targets-of", "", "only the targets assigned to this inspector (round assign)")
	out := fs.String("out", "", "the bundle's path (must not exist)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 || *out == "" {
		return fmt.Errorf("pack: usage: inspector pack --round NAME [--targets-of INSPECTOR] --out FILE")
	}
	db, _, r, err := e.open(*round)
	if err != nil {
		return fmt.Errorf("pack: %w", err)
	}
	res, err := db.Pack(*out, store.PackOptions{Round: r.Name, TargetsOf: *targetsOf, At: now()})
	if err != nil {
		return err
	}
	who := "all targets"
	if *targetsOf != "" {
		who = "targets of " + *targetsOf
	}
	fmt.Fprintf(e.stdout, "bundle %s: round %s, %s: %d targets, %d observations, %d screenshots, %d findings, %d decisions, %d notes, %d reviews (%.1f MB)\n",
		*out, r.Name, who, res.Targets, res.Observations, res.Blobs, res.Findings, res.Decisions, res.Notes, res.Reviews, float64(res.Bytes)/1e6)
	fmt.Fprintf(e.stdout, "review it with: inspector --db %s review\n", *out)
	return nil
}

func cmdMerge(e *env, args []string) error {
	fs := newFlags(e, "merge")
	files, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("merge: usage: inspector merge FILE...")
	}
	db, err := e.store()
	if err != nil {
		return err
	}
	var failed []error
	for _, f := range files {
		res, err := db.Merge(f, now())
		if err != nil {
			failed = append(failed, err)
			continue
		}
		from := "all targets"
		if res.TargetsOf != "" {
			from = res.TargetsOf
		}
		again := ""
		if res.Again {
			again = " (merged before)"
		}
		fmt.Fprintf(e.stdout, "merged %s%s: round %s, %s: %d decisions, %d findings, %d notes, %d reviews, %d observations, %d screenshots new\n",
			f, again, res.Round, from, res.Decisions, res.Findings, res.Notes, res.Reviews, res.Observation, res.Blobs)
		if res.Conflicts > 0 {
			fmt.Fprintf(e.stdout, "round %s: %d finding(s) decided differently by different inspectors; the later decision stands (inspector review shows them)\n", res.Round, res.Conflicts)
		}
	}
	switch {
	case len(failed) == 0:
		return nil
	case len(files) == 1:
		return failed[0]
	}
	return refusals{failed, len(files)}
}

// refusals is the error of a merge of several files of which some were
// refused (the others are merged): one line, then one line per file.
type refusals struct {
	errs  []error
	files int
}

func (r refusals) Error() string {
	return fmt.Sprintf("%d of %d bundles refused: %v", len(r.errs), r.files, r.errs[0])
}

func (r refusals) Details() []string {
	var out []string
	for _, err := range r.errs[1:] {
		out = append(out, oneLine(err.Error()))
	}
	return out
}
