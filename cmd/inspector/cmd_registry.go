package main

import (
	"fmt"

	"inspector/model"
	"inspector/registry"
)

func init() {
	register("import", "import sites|accounts FILE — the registry from CSV (UTF-8, BOM, GBK) or XLSX", cmdImport)
	register("targets", "list the registry [--kind site|account] [--format json|csv|table]", cmdTargets)
}

func cmdImport(e *env, args []string) error {
	fs := newFlags(e, "import")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 || (pos[0] != "sites" && pos[0] != "accounts") {
		return fmt.Errorf("import: usage: inspector import sites|accounts FILE")
	}
	kind := model.KindSite
	if pos[0] == "accounts" {
		kind = model.KindAccount
	}
	ts, err := registry.ParseFile(pos[1], kind)
	if err != nil {
		return fmt.Errorf("import %s: %w", pos[0], err)
	}
	db, err := e.store()
	if err != nil {
		return err
	}
	res, err := db.ImportTargets(ts, pos[1], now())
	if err != nil {
		return fmt.Errorf("import %s: %s: %w", pos[0], pos[1], err)
	}
	fmt.Fprintf(e.stdout, "imported %d %s from %s: %d new, %d updated, %d unchanged\n",
		len(ts), pos[0], pos[1], res.Added, res.Updated, res.Unchanged)
	for _, c := range res.Changes {
		fmt.Fprintf(e.stdout, "  %s %s: %q → %q\n", c.Target, c.Field, c.Old, c.New)
	}
	return nil
}

func cmdTargets(e *env, args []string) error {
	fs := newFlags(e, "targets")
	kind := fs.String("kind", "", "site or account")
	format := fs.String("format", "table", "json, csv or table")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *kind != "" && *kind != model.KindSite && *kind != model.KindAccount {
		return fmt.Errorf("targets: flag --kind: %q is not site or account", *kind)
	}
	db, err := e.store()
	if err != nil {
		return err
	}
	ts, err := db.Targets(*kind)
	if err != nil {
		return err
	}
	if ts == nil {
		ts = []model.Target{}
	}
	t := table{header: []string{"code", "kind", "name", "sponsor", "url", "platform", "status"}}
	for _, x := range ts {
		t.rows = append(t.rows, []string{x.Code, x.Kind, x.Name, x.Sponsor, x.URL, x.Platform, x.Status})
	}
	return writeFormat(e.stdout, *format, ts, t)
}
