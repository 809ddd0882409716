package store

import (
	"bytes"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"inspector/model"
	"inspector/province"
	"inspector/sample"
)

const (
	zhang = "张三"
	li    = "李四"
)

// home builds an office database: six sites and two accounts in round
// 2020Q3, machine findings and a capture with screenshots for each site,
// the first half assigned to 张三 and the rest to 李四.
func home(t testing.TB, dir string) (*DB, []string) {
	t.Helper()
	db, err := Open(filepath.Join(dir, "home.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	var ts []model.Target
	var codes []string
	for i := 1; i <= 6; i++ {
		c := fmt.Sprintf("630000000%d", i)
		ts = append(ts, model.Target{Code: c, Kind: model.KindSite, Name: "站点" + c, URL: "http://s" + c + ".gov.cn", Status: model.StatusRunning})
		codes = append(codes, c)
	}
	for _, c := range []string{"WX001", "WX002"} {
		ts = append(ts, model.Target{Code: c, Kind: model.KindAccount, Name: "账号" + c, Platform: "微信", Status: model.StatusRunning})
		codes = append(codes, c)
	}
	if _, err := db.ImportTargets(ts, "registry.csv", t0); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateRound(model.Round{Name: "2020Q3", AsOf: time.Date(2020, 9, 28, 0, 0, 0, 0, time.UTC), Seed: 1, Created: t0}, codes); err != nil {
		t.Fatal(err)
	}
	shared := []byte("\xff\xd8 shared logo jpeg")
	for _, c := range codes[:6] {
		own := []byte("\xff\xd8 screenshot of " + c)
		data := fmt.Sprintf(`{"pages":[{"url":"http://s%s.gov.cn/","screenshot":%q,"logo":%q}]}`, c, HashOf(own), HashOf(shared))
		if _, err := db.SaveObservation(Observation{Round: "2020Q3", Target: c, Kind: ObsCapture, At: t0, Data: []byte(data)},
			[]Blob{{Mime: "image/jpeg", Data: own}, {Mime: "image/jpeg", Data: shared}}); err != nil {
			t.Fatal(err)
		}
		fs := []model.Finding{
			{Indicator: "site.deduct.home_links", Subject: "http://s" + c + ".gov.cn/a.html", Detail: "404", Confidence: model.ConfCertain},
			{Indicator: "site.veto.home_stale", Subject: "home", Detail: "最新 2020-08-01", Confidence: model.ConfSuspect,
				Evidence: []model.Evidence{{URL: "http://s" + c + ".gov.cn/", Screenshot: HashOf(own), At: t0}}},
		}
		if err := db.ReplaceMachineFindings("2020Q3", c, fs, t0); err != nil {
			t.Fatal(err)
		}
	}
	// Something decided at the office before packing.
	if _, err := db.Decide(model.Decision{FindingUID: model.FindingUID("2020Q3", codes[0], "site.veto.home_stale", "home"), Action: model.ActionConfirm, By: "王五", At: t0}); err != nil {
		t.Fatal(err)
	}
	if err := db.Assign("2020Q3", zhang, []string{codes[0], codes[1], codes[2], "WX001"}); err != nil {
		t.Fatal(err)
	}
	if err := db.Assign("2020Q3", li, []string{codes[3], codes[4], codes[5], "WX002"}); err != nil {
		t.Fatal(err)
	}
	return db, codes
}

func openPath(t testing.TB, p string) *DB {
	t.Helper()
	db, err := Open(p)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// dump is a canonical text of what merging must agree on: findings,
// decisions, notes, reviews, observations and blobs, without row ids.
func dump(t testing.TB, db *DB) string {
	t.Helper()
	var b strings.Builder
	for _, q := range []string{
		`SELECT uid, round, target, indicator, subject, detail, source, confidence, evidence, count, gone, created FROM findings ORDER BY uid`,
		`SELECT uid, finding, action, note, by, at FROM decisions ORDER BY uid`,
		`SELECT uid, round, target, text, by, at FROM notes ORDER BY uid`,
		`SELECT uid, round, target, by, at FROM reviews ORDER BY uid`,
		`SELECT round, target, kind, at, hex(data) FROM observations ORDER BY round, target, kind, at, data`,
		`SELECT hash, mime, length(data) FROM blobs ORDER BY hash`,
	} {
		rows, err := db.SQL().Query(q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintln(&b, vals...)
		}
		rows.Close()
		b.WriteString("--\n")
	}
	return b.String()
}

func count(t testing.TB, db *DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestPackMergeTwoInspectors(t *testing.T) {
	dir := t.TempDir()
	db, codes := home(t, dir)
	homeID, err := db.ID()
	if err != nil || len(homeID) != 32 {
		t.Fatalf("db id %q %v", homeID, err)
	}

	// 张三 takes his three sites and one account.
	pa := filepath.Join(dir, "zhang.bundle")
	ra, err := db.Pack(pa, PackOptions{Round: "2020Q3", TargetsOf: zhang, At: t0})
	if err != nil {
		t.Fatal(err)
	}
	if ra.Targets != 4 || ra.Observations != 3 || ra.Findings != 6 || ra.Decisions != 1 || ra.Blobs != 4 {
		t.Fatalf("bundle A: %+v", ra)
	}
	// The office hands site 3 to 李四 for a second look, then packs his.
	if err := db.Assign("2020Q3", li, []string{codes[2]}); err != nil {
		t.Fatal(err)
	}
	pb := filepath.Join(dir, "li.bundle")
	rb, err := db.Pack(pb, PackOptions{Round: "2020Q3", TargetsOf: li, At: t0})
	if err != nil {
		t.Fatal(err)
	}
	if rb.Targets != 5 || rb.Observations != 4 || rb.Findings != 8 || rb.Blobs != 5 {
		t.Fatalf("bundle B: %+v", rb)
	}
	if _, err := db.Pack(pb, PackOptions{Round: "2020Q3"}); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Fatalf("pack overwrote a file: %v", err)
	}
	if _, err := db.Pack(filepath.Join(dir, "x.bundle"), PackOptions{Round: "2020Q3", TargetsOf: "赵六"}); err == nil || !strings.Contains(err.Error(), "赵六") {
		t.Fatalf("pack of nobody's targets: %v", err)
	}
	if fi, err := os.Stat(pa); err != nil || fi.Size() == 0 {
		t.Fatal(err)
	}
	for _, p := range []string{pa + "-wal", pa + ".packing"} {
		if _, err := os.Stat(p); err == nil {
			t.Fatalf("%s left behind", p)
		}
	}

	// The bundles are ordinary databases: the laptops review them.
	a := openPath(t, pa)
	o, ok, err := a.Origin()
	if err != nil || !ok || o.Round != "2020Q3" || o.Source != homeID || o.TargetsOf != zhang || o.BundleID != ra.BundleID || fmtDate(o.AsOf) != "2020-09-28" {
		t.Fatalf("origin %+v %v %v", o, ok, err)
	}
	if _, ok, _ := db.Origin(); ok {
		t.Fatal("home db claims to be a bundle")
	}
	if ts, _ := a.RoundTargets("2020Q3"); len(ts) != 4 {
		t.Fatalf("bundle A has %d targets", len(ts))
	}
	if ts, _ := a.Targets(""); len(ts) != 4 {
		t.Fatalf("bundle A registry has %d targets", len(ts))
	}
	if obs, _ := a.Observations("2020Q3", codes[0], ObsCapture); len(obs) != 1 || !strings.Contains(string(obs[0].Data), "pages") {
		t.Fatalf("observations %+v", obs)
	}
	if _, err := a.BlobData(HashOf([]byte("\xff\xd8 screenshot of " + codes[0]))); err != nil {
		t.Fatal(err)
	}
	if _, err := a.BlobData(HashOf([]byte("\xff\xd8 screenshot of " + codes[4]))); err == nil {
		t.Fatal("bundle A holds another inspector's screenshot")
	}
	shared := model.FindingUID("2020Q3", codes[2], "site.veto.home_stale", "home")
	la := t0.Add(24 * time.Hour)
	mustDecide := func(db *DB, ds ...model.Decision) {
		t.Helper()
		if _, err := db.Decide(ds...); err != nil {
			t.Fatal(err)
		}
	}
	mustDecide(a,
		model.Decision{FindingUID: model.FindingUID("2020Q3", codes[0], "site.deduct.home_links", "http://s"+codes[0]+".gov.cn/a.html"), Action: model.ActionDismiss, Note: "链接可用", By: zhang, At: la},
		model.Decision{FindingUID: model.FindingUID("2020Q3", codes[1], "site.veto.home_stale", "home"), Action: model.ActionConfirm, By: zhang, At: la.Add(time.Minute)},
		model.Decision{FindingUID: shared, Action: model.ActionConfirm, Note: "首页确未更新", By: zhang, At: la.Add(2 * time.Minute)},
	)
	fa, err := a.AddFinding(model.Finding{Round: "2020Q3", Target: "WX001", Indicator: "account.veto.stale", Subject: "最新推文 2020-08-01", Detail: "两周未更新"}, la)
	if err != nil {
		t.Fatal(err)
	}
	mustDecide(a, model.Decision{FindingUID: fa.UID, Action: model.ActionConfirm, By: zhang, At: la})
	if err := a.AddNote("2020Q3", codes[0], "首页打开慢", zhang, la); err != nil {
		t.Fatal(err)
	}
	if err := a.MarkReviewed("2020Q3", codes[0], zhang, la.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	a.Close()

	b := openPath(t, pb)
	lb := t0.Add(48 * time.Hour)
	mustDecide(b,
		model.Decision{FindingUID: model.FindingUID("2020Q3", codes[3], "site.veto.home_stale", "home"), Action: model.ActionDismiss, Note: "有更新", By: li, At: lb},
		model.Decision{FindingUID: shared, Action: model.ActionDismiss, Note: "栏目有更新", By: li, At: lb.Add(time.Minute)},
	)
	fb, err := b.AddFinding(model.Finding{Round: "2020Q3", Target: "WX002", Indicator: "account.deduct.errors", Subject: "错字", Detail: "错字2处", Count: 2}, lb)
	if err != nil {
		t.Fatal(err)
	}
	mustDecide(b, model.Decision{FindingUID: fb.UID, Action: model.ActionConfirm, By: li, At: lb})
	if err := b.AddNote("2020Q3", codes[2], "复核", li, lb); err != nil {
		t.Fatal(err)
	}
	if err := b.MarkReviewed("2020Q3", codes[3], li, lb); err != nil {
		t.Fatal(err)
	}
	// A laptop that probed offline brings a newer capture home too.
	if _, err := b.SaveObservation(Observation{Round: "2020Q3", Target: codes[4], Kind: ObsCapture, At: lb, Data: []byte(`{"pages":[]}`)}, []Blob{{Mime: "image/jpeg", Data: []byte("new shot")}}); err != nil {
		t.Fatal(err)
	}
	b.Close()

	// Merge into copies of the home database in several orders.
	orders := map[string][]string{
		"ab":   {pa, pb},
		"ba":   {pb, pa},
		"abab": {pa, pb, pa, pb},
		"bba":  {pb, pb, pa},
	}
	dumps := map[string]string{}
	var names []string
	for name := range orders {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		cp := filepath.Join(dir, "home-"+name+".db")
		if err := db.Backup(cp); err != nil {
			t.Fatal(err)
		}
		h := openPath(t, cp)
		before := count(t, h, `SELECT count(*) FROM decisions`)
		for i, p := range orders[name] {
			res, err := h.Merge(p, t0.Add(72*time.Hour))
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			again := false
			for _, q := range orders[name][:i] {
				again = again || q == p
			}
			if res.Again != again {
				t.Fatalf("%s: merge %d again=%v", name, i, res.Again)
			}
			if again && res.Decisions+res.Notes+res.Reviews+res.Findings+res.Observation+res.Blobs != 0 {
				t.Fatalf("%s: second merge of %s changed something: %+v", name, p, res)
			}
		}
		// Nothing lost: every decision of both bundles is home.
		if n := count(t, h, `SELECT count(*) FROM decisions`); n != before+4+3 {
			t.Fatalf("%s: %d decisions, want %d", name, n, before+7)
		}
		if n := count(t, h, `SELECT count(*) FROM notes`); n != 2 {
			t.Fatalf("%s: %d notes", name, n)
		}
		if n := count(t, h, `SELECT count(*) FROM reviews`); n != 2 {
			t.Fatalf("%s: %d reviews", name, n)
		}
		if n := count(t, h, `SELECT count(*) FROM observations`); n != 7 {
			t.Fatalf("%s: %d observations", name, n)
		}
		for _, uid := range []string{fa.UID, fb.UID} {
			f, err := h.Finding(uid)
			if err != nil || f.Source != model.SourceInspector || f.Status != model.StatusConfirmed {
				t.Fatalf("%s: manual finding %s: %+v %v", name, uid, f, err)
			}
		}
		c, err := h.Conflicts("2020Q3")
		if err != nil || len(c) != 1 || !c[shared] {
			t.Fatalf("%s: conflicts %v %v", name, c, err)
		}
		f, _ := h.Finding(shared)
		if f.Status != model.StatusDismissed {
			t.Fatalf("%s: the later decision (李四's dismiss) must stand: %s", name, f.Status)
		}
		if ds, _ := h.Decisions("", shared); len(ds) != 2 {
			t.Fatalf("%s: both decisions must stay: %+v", name, ds)
		}
		mb, err := h.MergedBundles()
		if err != nil || len(mb) != 2 {
			t.Fatalf("%s: merged bundles %+v %v", name, mb, err)
		}
		if ic, err := h.IntegrityCheck(); err != nil || ic != "ok" {
			t.Fatalf("%s: integrity %s %v", name, ic, err)
		}
		dumps[name] = dump(t, h)
	}
	for _, name := range names[1:] {
		if dumps[name] != dumps[names[0]] {
			t.Errorf("merge order %s differs from %s:\n%s\n----\n%s", name, names[0], dumps[name], dumps[names[0]])
		}
	}
}

// A bundle carries the previous round's findings and decisions for its
// targets (what was dismissed last time); of that round only decisions
// merge back.
func TestPackCarriesPreviousRound(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(filepath.Join(dir, "home.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	seed(t, db) // round 2020Q3
	old := model.FindingUID("2020Q3", "6300000001", "site.deduct.search", "home")
	if err := db.ReplaceMachineFindings("2020Q3", "6300000001", []model.Finding{{Indicator: "site.deduct.search", Subject: "home", Detail: "无搜索"}}, t0); err != nil {
		t.Fatal(err)
	}
	if err := db.ReplaceMachineFindings("2020Q3", "6300000002", []model.Finding{{Indicator: "site.deduct.search", Subject: "home", Detail: "无搜索"}}, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Decide(model.Decision{FindingUID: old, Action: model.ActionDismiss, Note: "搜索在二级页", By: zhang, At: t0}); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateRound(model.Round{Name: "2020Q4", AsOf: time.Date(2020, 12, 28, 0, 0, 0, 0, time.UTC), Previous: "2020Q3", Created: t0.Add(90 * 24 * time.Hour)}, []string{"6300000001", "6300000002"}); err != nil {
		t.Fatal(err)
	}
	db.Assign("2020Q4", zhang, []string{"6300000001"})
	p := filepath.Join(dir, "q4.bundle")
	res, err := db.Pack(p, PackOptions{Round: "2020Q4", TargetsOf: zhang})
	if err != nil {
		t.Fatal(err)
	}
	if res.Findings != 0 || res.Decisions != 0 {
		t.Fatalf("counts are of the packed round only: %+v", res)
	}
	bd := openPath(t, p)
	if r, err := bd.LatestRound(); err != nil || r.Name != "2020Q4" {
		t.Fatalf("latest round of the bundle: %v %v", r.Name, err)
	}
	f, err := bd.Finding(old)
	if err != nil || f.Status != model.StatusDismissed {
		t.Fatalf("last round's dismissal: %+v %v", f, err)
	}
	if fs, _ := bd.Findings(FindingFilter{Round: "2020Q3"}); len(fs) != 1 {
		t.Fatalf("last round's findings of other targets came along: %+v", fs)
	}
	if _, err := bd.Decide(model.Decision{FindingUID: old, Action: model.ActionConfirm, By: zhang, At: t0.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	bd.Close()
	findings := count(t, db, `SELECT count(*) FROM findings`)
	for i := 0; i < 2; i++ {
		res, err := db.Merge(p, t0)
		if err != nil {
			t.Fatal(err)
		}
		if want := 1 - i; res.Decisions != want {
			t.Fatalf("merge %d: %d decisions, want %d", i, res.Decisions, want)
		}
	}
	if f, _ := db.Finding(old); f.Status != model.StatusConfirmed {
		t.Fatalf("a decision on last round's finding made on the laptop was lost: %s", f.Status)
	}
	if n := count(t, db, `SELECT count(*) FROM findings`); n != findings {
		t.Fatalf("findings %d → %d", findings, n)
	}
}

// Two laptops wrote the same manual finding with different details: the
// home database settles on one, whatever the order.
func TestMergeSameManualFindingIsOrderFree(t *testing.T) {
	dir := t.TempDir()
	db, _ := home(t, dir)
	pa, pb := filepath.Join(dir, "a.bundle"), filepath.Join(dir, "b.bundle")
	for i, p := range []string{pa, pb} {
		if _, err := db.Pack(p, PackOptions{Round: "2020Q3"}); err != nil {
			t.Fatal(err)
		}
		bd := openPath(t, p)
		if _, err := bd.AddFinding(model.Finding{Round: "2020Q3", Target: "WX001", Indicator: "account.veto.stale", Subject: "最新推文", Detail: fmt.Sprintf("版本%d", i)}, t0.Add(time.Duration(2-i)*time.Hour)); err != nil {
			t.Fatal(err)
		}
		bd.Close()
	}
	var got []string
	for i, order := range [][]string{{pa, pb}, {pb, pa}} {
		cp := filepath.Join(dir, fmt.Sprintf("c%d.db", i))
		if err := db.Backup(cp); err != nil {
			t.Fatal(err)
		}
		h := openPath(t, cp)
		for _, p := range order {
			if _, err := h.Merge(p, t0); err != nil {
				t.Fatal(err)
			}
		}
		got = append(got, dump(t, h))
	}
	if got[0] != got[1] {
		t.Fatalf("order matters:\n%s\n%s", got[0], got[1])
	}
	if !strings.Contains(got[0], "版本1") || strings.Contains(got[0], "版本0") {
		t.Fatalf("the earliest version must stand:\n%s", got[0])
	}
}

func TestMergeRefusesOtherRoundsAndRegistries(t *testing.T) {
	dir := t.TempDir()
	db, codes := home(t, dir)
	p := filepath.Join(dir, "b.bundle")
	if _, err := db.Pack(p, PackOptions{Round: "2020Q3", TargetsOf: zhang}); err != nil {
		t.Fatal(err)
	}

	// A database with the same round name and another check point.
	other, err := Open(filepath.Join(dir, "other.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	ts, _ := db.Targets("")
	other.ImportTargets(ts, "registry.csv", t0)
	if err := other.CreateRound(model.Round{Name: "2020Q3", AsOf: time.Date(2020, 9, 30, 0, 0, 0, 0, time.UTC), Created: t0}, codes); err != nil {
		t.Fatal(err)
	}
	_, err = other.Merge(p, t0)
	if err == nil || err.Error() != "merge b.bundle: round 2020Q3 has check point 2020-09-30 here, 2020-09-28 in the bundle" {
		t.Fatalf("check point: %v", err)
	}

	// A database without the round.
	none := openPath(t, filepath.Join(dir, "none.db"))
	if _, err := none.Merge(p, t0); err == nil || !strings.Contains(err.Error(), "b.bundle") || !strings.Contains(err.Error(), "round 2020Q3 is not in this database") {
		t.Fatalf("missing round: %v", err)
	}

	// A re-import moved one of the bundle's sites.
	cp := filepath.Join(dir, "moved.db")
	if err := db.Backup(cp); err != nil {
		t.Fatal(err)
	}
	moved := openPath(t, cp)
	tg, _ := moved.Target(codes[1])
	tg.URL = "http://www.moved.gov.cn"
	if _, err := moved.ImportTargets([]model.Target{tg}, "registry-2.csv", t0); err != nil {
		t.Fatal(err)
	}
	before := dump(t, moved)
	_, err = moved.Merge(p, t0)
	if err == nil || !strings.Contains(err.Error(), "merge b.bundle: another registry: target "+codes[1]) || !strings.Contains(err.Error(), "http://www.moved.gov.cn") {
		t.Fatalf("registry: %v", err)
	}
	if dump(t, moved) != before {
		t.Fatal("a refused merge wrote something")
	}
	// A target moved that is not in the bundle does not matter.
	tg, _ = moved.Target(codes[1])
	tg.URL = "http://s" + codes[1] + ".gov.cn"
	tg5, _ := moved.Target(codes[5])
	tg5.URL = "http://www.elsewhere.gov.cn"
	moved.ImportTargets([]model.Target{tg, tg5}, "registry-3.csv", t0)
	if _, err := moved.Merge(p, t0); err != nil {
		t.Fatal(err)
	}

	// Not a bundle; itself; a missing file.
	if _, err := db.Merge(cp, t0); err == nil || !strings.Contains(err.Error(), "merge moved.db: not a bundle") {
		t.Fatalf("plain db: %v", err)
	}
	junk := filepath.Join(dir, "junk.bundle")
	os.WriteFile(junk, []byte("not sqlite at all, not at all, no"), 0o644)
	if _, err := db.Merge(junk, t0); err == nil || !strings.Contains(err.Error(), "junk.bundle") {
		t.Fatalf("junk: %v", err)
	}
	if _, err := db.Merge(filepath.Join(dir, "missing.bundle"), t0); err == nil || !strings.Contains(err.Error(), "missing.bundle") {
		t.Fatalf("missing: %v", err)
	}
	bd := openPath(t, p)
	if _, err := bd.Merge(p, t0); err == nil || !strings.Contains(err.Error(), "it is this database") {
		t.Fatalf("self: %v", err)
	}
}

// Backup is a consistent snapshot while another goroutine appends
// decisions, each with its note in the same transaction.
func TestBackupWhileWritingDecisions(t *testing.T) {
	dir := t.TempDir()
	db, codes := home(t, dir)
	uid := model.FindingUID("2020Q3", codes[0], "site.deduct.home_links", "http://s"+codes[0]+".gov.cn/a.html")
	var stop atomic.Bool
	var wg sync.WaitGroup
	var written atomic.Int64
	errc := make(chan error, 1)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; !stop.Load(); i++ {
			err := db.tx(t.Context(), func(tx *sql.Tx) error {
				at := fmtTime(t0.Add(time.Duration(i) * time.Second))
				if _, err := tx.Exec(`INSERT INTO decisions (uid, finding, action, note, by, at) VALUES (?,?,?,?,?,?)`, NewUID(), uid, model.ActionConfirm, fmt.Sprint(i), zhang, at); err != nil {
					return err
				}
				_, err := tx.Exec(`INSERT INTO notes (uid, round, target, text, by, at) VALUES (?,?,?,?,?,?)`, NewUID(), "2020Q3", codes[0], fmt.Sprint(i), zhang, at)
				return err
			})
			if err != nil {
				errc <- err
				return
			}
			written.Add(1)
		}
	}()
	for written.Load() < 20 {
		time.Sleep(time.Millisecond)
	}
	var copies []string
	for i := 0; i < 5; i++ {
		p := filepath.Join(dir, fmt.Sprintf("backup-%d.db", i))
		lo := written.Load()
		if err := db.Backup(p); err != nil {
			t.Fatal(err)
		}
		hi := written.Load()
		cp := openPath(t, p)
		if ic, err := cp.IntegrityCheck(); err != nil || ic != "ok" {
			t.Fatalf("backup %d: integrity %s %v", i, ic, err)
		}
		d := int64(count(t, cp, `SELECT count(*) FROM decisions WHERE by = ?`, zhang))
		n := int64(count(t, cp, `SELECT count(*) FROM notes`))
		if d != n {
			t.Fatalf("backup %d: %d decisions but %d notes: not one snapshot", i, d, n)
		}
		if d < lo || d > hi+1 {
			t.Fatalf("backup %d: %d decisions, written %d..%d", i, d, lo, hi)
		}
		copies = append(copies, p)
	}
	stop.Store(true)
	wg.Wait()
	select {
	case err := <-errc:
		t.Fatal(err)
	default:
	}
	t.Logf("%d decisions written during %d backups", written.Load(), len(copies))
}

// fakeJPEG is incompressible bytes of n, shaped like a JPEG.
func fakeJPEG(seed string, n int) []byte {
	out := make([]byte, 0, n+32)
	out = append(out, 0xff, 0xd8, 0xff, 0xe0)
	h := sha256.Sum256([]byte(seed))
	for len(out) < n-2 {
		h = sha256.Sum256(h[:])
		out = append(out, h[:]...)
	}
	return append(out[:n-2], 0xff, 0xd9)
}

// ---- Benchmarks (scripts/bench-store.sh) ----

// pageCapture mirrors the JSON of probe.Capture closely enough to weigh
// the same (the store must not import the probe).
type pageCapture struct {
	Target   model.Target `json:"target"`
	Round    string       `json:"round"`
	Started  time.Time    `json:"started"`
	Finished time.Time    `json:"finished"`
	Pages    []*benchPage `json:"pages"`
	Variants []struct {
		Name string `json:"name"`
		Raw  string `json:"raw"`
	} `json:"variants,omitempty"`
	Links []struct {
		URL    string   `json:"url"`
		Status int      `json:"status"`
		Result string   `json:"result"`
		From   []string `json:"from"`
	} `json:"links,omitempty"`
}

type benchPage struct {
	URL         string      `json:"url"`
	FinalURL    string      `json:"final_url"`
	Status      int         `json:"status"`
	ContentType string      `json:"content_type,omitempty"`
	Role        string      `json:"role"`
	From        string      `json:"from,omitempty"`
	Raw         string      `json:"raw,omitempty"`
	Rendered    string      `json:"rendered,omitempty"`
	Text        string      `json:"text,omitempty"`
	Links       []benchLink `json:"links,omitempty"`
	Screenshot  string      `json:"screenshot,omitempty"`
	FetchedAt   time.Time   `json:"fetched_at"`
	Millis      int64       `json:"millis"`
}

type benchLink struct {
	Href    string  `json:"href"`
	Text    string  `json:"text,omitempty"`
	Tag     string  `json:"tag"`
	Visible bool    `json:"visible"`
	X       float64 `json:"x,omitempty"`
	Y       float64 `json:"y,omitempty"`
	W       float64 `json:"w,omitempty"`
	H       float64 `json:"h,omitempty"`
}

var (
	hrefRE = regexp.MustCompile(`(?i)<a\s[^>]*href\s*=\s*["']([^"'#]+)["'][^>]*>([^<]*)`)
	tagRE  = regexp.MustCompile(`(?s)<script.*?</script>|<style.*?</style>|<[^>]+>`)
)

// get serves one request in process (no socket at all) and follows
// redirects.
func get(h http.Handler, raw string) (status int, ctype, final, body string) {
	for i := 0; i < 5; i++ {
		req := httptest.NewRequest(http.MethodGet, raw, nil)
		req.Header.Set("User-Agent", "Mozilla/5.0 inspector-bench")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if loc := w.Header().Get("Location"); loc != "" && w.Code >= 300 && w.Code < 400 {
			u, err := req.URL.Parse(loc)
			if err != nil {
				return w.Code, "", raw, ""
			}
			raw = u.String()
			continue
		}
		return w.Code, w.Header().Get("Content-Type"), raw, w.Body.String()
	}
	return 0, "", raw, ""
}

// screenshot is a 1280×800 JPEG (quality 70, as the probe takes them) of
// a page-like picture: header, navigation, lines of "text".
func screenshot(seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 7))
	img := image.NewRGBA(image.Rect(0, 0, 1280, 800))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.RGBA{250, 250, 250, 255}), image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(0, 0, 1280, 120), image.NewUniform(color.RGBA{uint8(r.IntN(80)), uint8(60 + r.IntN(80)), uint8(140 + r.IntN(100)), 255}), image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(0, 120, 1280, 160), image.NewUniform(color.RGBA{180, 30, 30, 255}), image.Point{}, draw.Src)
	for y := 180; y < 790; y += 22 {
		x := 40 + r.IntN(20)
		end := 600 + r.IntN(640)
		for x < end {
			w := 10 + r.IntN(6)
			for gy := 0; gy < 14; gy++ {
				for gx := 0; gx < w; gx++ {
					if r.IntN(3) == 0 {
						v := uint8(r.IntN(90))
						img.Set(x+gx, y+gy, color.RGBA{v, v, v, 255})
					}
				}
			}
			x += w + 3
		}
	}
	var buf bytes.Buffer
	jpeg.Encode(&buf, img, &jpeg.Options{Quality: 70})
	return buf.Bytes()
}

// BenchmarkRoundSize probes the full synthetic province the way the probe
// does (home page, columns, list pages, articles, crawler variants, link
// checks; a screenshot of each home page; a week of availability visits)
// in process, stores the round, and reports the database's size.
func BenchmarkRoundSize(b *testing.B) {
	for i := 0; i < b.N; i++ {
		p := province.New(province.Options{Seed: 1})
		srv, err := p.Start()
		if err != nil {
			b.Fatal(err)
		}
		dir := b.TempDir()
		db, err := Open(filepath.Join(dir, "round.db"))
		if err != nil {
			b.Fatal(err)
		}
		sites, accounts := p.Sites(), p.Accounts()
		if _, err := db.ImportTargets(append(append([]model.Target{}, sites...), accounts...), "registry", t0); err != nil {
			b.Fatal(err)
		}
		members := sample.Draw(sites, 1, 1, nil)
		members = append(members, sample.Draw(accounts, 0.1, 1, nil)...)
		if err := db.CreateRound(model.Round{Name: "2020Q3", AsOf: p.AsOf(), Seed: 1, Created: t0}, members); err != nil {
			b.Fatal(err)
		}
		byCode := map[string]model.Target{}
		for _, t := range append(sites, accounts...) {
			byCode[t.Code] = t
		}
		var storeTime, visitTime time.Duration
		var pages, shots int
		var rawBytes, shotBytes, jsonBytes int64
		start := time.Now()
		for n, code := range members {
			t := byCode[code]
			if t.URL == "" {
				continue // an account checked by hand
			}
			maxPages := 1 + 40*(3+30)
			if t.Kind == model.KindAccount {
				maxPages = 12
			}
			c := pageCapture{Target: t, Round: "2020Q3", Started: t0, Finished: t0.Add(time.Minute)}
			seen := map[string]bool{t.URL: true}
			queue := []string{t.URL}
			var host string
			var homeShot []byte
			linkSet := map[string][]string{}
			for len(queue) > 0 && len(c.Pages) < maxPages {
				u := queue[0]
				queue = queue[1:]
				st, ct, final, body := get(srv, u)
				pg := &benchPage{URL: u, FinalURL: final, Status: st, ContentType: ct, Role: "column", Raw: body, FetchedAt: t0, Millis: 40}
				if len(c.Pages) == 0 {
					pg.Role = "home"
					if fu, err := url.Parse(final); err == nil {
						host = fu.Host
					}
				}
				if len(c.Pages) <= 40 {
					// Columns whose lists scripts draw are rendered too:
					// count the first forty pages as rendered (generous).
					pg.Rendered = body
				}
				pg.Text = strings.Join(strings.Fields(tagRE.ReplaceAllString(body, " ")), " ")
				base, _ := url.Parse(final)
				for _, m := range hrefRE.FindAllStringSubmatch(body, -1) {
					lu, err := base.Parse(m[1])
					if err != nil {
						continue
					}
					abs := lu.String()
					pg.Links = append(pg.Links, benchLink{Href: abs, Text: strings.TrimSpace(m[2]), Tag: "a", Visible: true, X: 100, Y: 200, W: 120, H: 18})
					linkSet[abs] = append(linkSet[abs], final)
					if lu.Host == host && !seen[abs] && !isBinary(lu.Path) {
						seen[abs] = true
						queue = append(queue, abs)
					}
				}
				if len(c.Pages) == 0 {
					// The home page is photographed.
					shot := screenshot(uint64(n))
					pg.Screenshot = HashOf(shot)
					shots++
					shotBytes += int64(len(shot))
					for _, v := range []string{"baiduspider", "360spider", "sogou", "googlebot", "mobile", "referer-baidu"} {
						c.Variants = append(c.Variants, struct {
							Name string `json:"name"`
							Raw  string `json:"raw"`
						}{v, body})
					}
					homeShot = shot
				}
				c.Pages = append(c.Pages, pg)
				rawBytes += int64(len(body))
				pages++
			}
			checked := 0
			for l, from := range linkSet {
				if checked >= 400 {
					break
				}
				checked++
				c.Links = append(c.Links, struct {
					URL    string   `json:"url"`
					Status int      `json:"status"`
					Result string   `json:"result"`
					From   []string `json:"from"`
				}{l, 200, "ok", from})
			}
			data, err := json.Marshal(c)
			if err != nil {
				b.Fatal(err)
			}
			jsonBytes += int64(len(data))
			var blobs []Blob
			if homeShot != nil {
				blobs = append(blobs, Blob{Mime: "image/jpeg", Data: homeShot})
			}
			ws := time.Now()
			if _, err := db.SaveObservation(Observation{Round: "2020Q3", Target: code, Kind: ObsCapture, At: t0, Data: data}, blobs); err != nil {
				b.Fatal(err)
			}
			storeTime += time.Since(ws)
			// A week of availability visits, 20 a day.
			ws = time.Now()
			if t.Kind == model.KindSite {
				for v := 0; v < 7*20; v++ {
					at := t0.Add(time.Duration(v) * 72 * time.Minute)
					vd := fmt.Sprintf(`{"at":%q,"ok":true,"millis":%d,"status":200,"url":%q}`, at.Format(time.RFC3339), 30+v%50, t.URL)
					if _, err := db.SaveObservation(Observation{Round: "2020Q3", Target: code, Kind: ObsVisit, At: at, Data: []byte(vd)}, nil); err != nil {
						b.Fatal(err)
					}
				}
			}
			visitTime += time.Since(ws)
		}
		took := time.Since(start)
		srv.Close()
		if _, err := db.SQL().Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
			b.Fatal(err)
		}
		fi, err := os.Stat(db.Path())
		if err != nil {
			b.Fatal(err)
		}
		var obsBytes, blobBytes int64
		db.SQL().QueryRow(`SELECT (SELECT COALESCE(sum(length(data)), 0) FROM observations), (SELECT COALESCE(sum(length(data)), 0) FROM blobs)`).Scan(&obsBytes, &blobBytes)
		db.Close()
		b.ReportMetric(float64(obsBytes)/1e6, "obs-gz-MB")
		mb := float64(fi.Size()) / 1e6
		b.ReportMetric(mb, "MB")
		b.ReportMetric(float64(len(members)), "targets")
		b.ReportMetric(float64(pages), "pages")
		b.ReportMetric(float64(rawBytes)/1e6, "html-MB")
		b.ReportMetric(float64(jsonBytes)/1e6, "json-MB")
		b.ReportMetric(float64(shots), "shots")
		b.ReportMetric(float64(shotBytes)/1e6, "jpeg-MB")
		b.Logf("full synthetic round: %d targets, %d pages (%.1f MB HTML, %.1f MB capture JSON), %d screenshots (%.1f MB JPEG): observations %.1f MB gzip (%.1fx), blobs %.1f MB; database %.1f MB (limit 200 MB); %v in all, captures written in %v, visits in %v",
			len(members), pages, float64(rawBytes)/1e6, float64(jsonBytes)/1e6, shots, float64(shotBytes)/1e6, float64(obsBytes)/1e6, float64(jsonBytes)/float64(max(obsBytes, 1)), float64(blobBytes)/1e6, mb, took.Round(time.Millisecond), storeTime.Round(time.Millisecond), visitTime.Round(time.Millisecond))
		if mb > 200 {
			b.Errorf("a full round takes %.1f MB, over the 200 MB a laptop budget allows", mb)
		}
	}
}

func isBinary(p string) bool {
	p = strings.ToLower(p)
	for _, ext := range []string{".pdf", ".doc", ".docx", ".xls", ".xlsx", ".zip", ".rar", ".jpg", ".jpeg", ".png", ".gif", ".css", ".js", ".ico"} {
		if strings.HasSuffix(p, ext) {
			return true
		}
	}
	return false
}

// synthHTML is about n bytes of a government page: navigation, lists of
// dated links, article text, drawn from a seeded vocabulary.
func synthHTML(seed uint64, n int) string {
	r := rand.New(rand.NewPCG(seed, 11))
	const chars = "政府信息公开工作动态通知公告政策文件解读办事服务互动交流领导信箱网站地图关于印发实施意见的年度报告全省推进深化改革优化营商环境项目建设会议召开部署安排开展检查督导专项行动人民群众民生保障"
	rs := []rune(chars)
	word := func() string {
		k := 2 + r.IntN(4)
		w := make([]rune, k)
		for i := range w {
			w[i] = rs[r.IntN(len(rs))]
		}
		return string(w)
	}
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>` + word() + word() + `</title><link rel="stylesheet" href="/css/main.css"></head><body><div class="nav">`)
	for i := 0; i < 12; i++ {
		fmt.Fprintf(&b, `<a href="/col/col%d/index.html">%s</a>`, 100+i, word())
	}
	b.WriteString(`</div>`)
	for b.Len() < n {
		fmt.Fprintf(&b, `<ul class="list">`)
		for i := 0; i < 20; i++ {
			fmt.Fprintf(&b, `<li><a href="/art/2020/%d/%d/art_%d_%d.html" target="_blank" title="%s%s">%s%s%s</a><span class="date">2020-%02d-%02d</span></li>`,
				1+r.IntN(9), 1+r.IntN(28), 1000+r.IntN(9000), r.IntN(100000), word(), word(), word(), word(), word(), 1+r.IntN(9), 1+r.IntN(28))
		}
		b.WriteString(`</ul><div class="content"><p>`)
		for i := 0; i < 60; i++ {
			b.WriteString(word())
			if r.IntN(8) == 0 {
				b.WriteString("，")
			}
		}
		b.WriteString(`。</p></div>`)
	}
	b.WriteString(`</body></html>`)
	return b.String()
}

// mergeHome is an office database with n sites in round 2020Q3, each with
// a capture of ~300 KB of HTML and its 100 KB screenshot and five machine
// findings, the first half assigned to 张三 and the rest to 李四.
func mergeHome(b *testing.B, dir string, n int) *DB {
	b.Helper()
	db, err := Open(filepath.Join(dir, "home.db"))
	if err != nil {
		b.Fatal(err)
	}
	var ts []model.Target
	var codes []string
	for i := 0; i < n; i++ {
		c := fmt.Sprintf("63%08d", i)
		ts = append(ts, model.Target{Code: c, Kind: model.KindSite, Name: "站点" + c, URL: "http://www.s" + c + ".gov.cn", Status: model.StatusRunning})
		codes = append(codes, c)
	}
	if _, err := db.ImportTargets(ts, "registry", t0); err != nil {
		b.Fatal(err)
	}
	if err := db.CreateRound(model.Round{Name: "2020Q3", AsOf: time.Date(2020, 9, 28, 0, 0, 0, 0, time.UTC), Seed: 1, Created: t0}, codes); err != nil {
		b.Fatal(err)
	}
	for i, c := range codes {
		shot := fakeJPEG(c, 100_000)
		data, _ := json.Marshal(map[string]any{"pages": []map[string]any{{"url": "http://www.s" + c + ".gov.cn/", "raw": synthHTML(uint64(i), 300_000), "screenshot": HashOf(shot)}}})
		if _, err := db.SaveObservation(Observation{Round: "2020Q3", Target: c, Kind: ObsCapture, At: t0, Data: data}, []Blob{{Mime: "image/jpeg", Data: shot}}); err != nil {
			b.Fatal(err)
		}
		var fs []model.Finding
		for k := 0; k < 5; k++ {
			fs = append(fs, model.Finding{Indicator: "site.deduct.home_links", Subject: fmt.Sprintf("http://www.s%s.gov.cn/%d.html", c, k), Detail: "404", Confidence: model.ConfCertain,
				Evidence: []model.Evidence{{URL: "http://www.s" + c + ".gov.cn/", Snippet: "链接", At: t0, Screenshot: HashOf(shot)}}})
		}
		if err := db.ReplaceMachineFindings("2020Q3", c, fs, t0); err != nil {
			b.Fatal(err)
		}
	}
	if err := db.Assign("2020Q3", zhang, codes[:n/2]); err != nil {
		b.Fatal(err)
	}
	if err := db.Assign("2020Q3", li, codes[n/2:]); err != nil {
		b.Fatal(err)
	}
	return db
}

// BenchmarkMerge packs two 500-target bundles, lets each inspector decide
// every finding of theirs (plus a manual finding, a note and a review
// mark per target), and measures merging both into the home database.
func BenchmarkMerge(b *testing.B) {
	dir := b.TempDir()
	db := mergeHome(b, dir, 1000)
	defer db.Close()
	var bundles []string
	var bundleBytes int64
	packStart := time.Now()
	for _, who := range []string{zhang, li} {
		p := filepath.Join(dir, who+".bundle")
		res, err := db.Pack(p, PackOptions{Round: "2020Q3", TargetsOf: who, At: t0})
		if err != nil {
			b.Fatal(err)
		}
		if res.Targets != 500 {
			b.Fatalf("bundle of %d targets", res.Targets)
		}
		bundles = append(bundles, p)
		bundleBytes += res.Bytes
	}
	packTook := time.Since(packStart)
	db.SQL().Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
	var homeMB float64
	if fi, err := os.Stat(db.Path()); err == nil {
		homeMB = float64(fi.Size()) / 1e6
	}
	want := 0
	for k, p := range bundles {
		bd, err := Open(p)
		if err != nil {
			b.Fatal(err)
		}
		fs, _ := bd.Findings(FindingFilter{Round: "2020Q3"})
		var ds []model.Decision
		at := t0.Add(24 * time.Hour)
		for i, f := range fs {
			ds = append(ds, model.Decision{FindingUID: f.UID, Action: model.ActionDismiss, Note: "链接可用", By: []string{zhang, li}[k], At: at.Add(time.Duration(i) * time.Second)})
		}
		if _, err := bd.Decide(ds...); err != nil {
			b.Fatal(err)
		}
		ts, _ := bd.RoundTargets("2020Q3")
		for _, t := range ts {
			f, err := bd.AddFinding(model.Finding{Round: "2020Q3", Target: t.Code, Indicator: "site.deduct.search", Subject: "home", Detail: "首页无站内搜索"}, at)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := bd.Decide(model.Decision{FindingUID: f.UID, Action: model.ActionConfirm, By: []string{zhang, li}[k], At: at}); err != nil {
				b.Fatal(err)
			}
			bd.AddNote("2020Q3", t.Code, "已核查", []string{zhang, li}[k], at)
			bd.MarkReviewed("2020Q3", t.Code, []string{zhang, li}[k], at)
		}
		want += len(ds) + len(ts)
		bd.Close()
	}
	var total time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		cp := filepath.Join(dir, fmt.Sprintf("home-%d.db", i))
		if err := db.Backup(cp); err != nil {
			b.Fatal(err)
		}
		h, err := Open(cp)
		if err != nil {
			b.Fatal(err)
		}
		before := count(b, h, `SELECT count(*) FROM decisions`)
		b.StartTimer()
		start := time.Now()
		for _, p := range bundles {
			if _, err := h.Merge(p, t0); err != nil {
				b.Fatal(err)
			}
		}
		total += time.Since(start)
		b.StopTimer()
		if got := count(b, h, `SELECT count(*) FROM decisions`) - before; got != want {
			b.Fatalf("merged %d decisions, want %d", got, want)
		}
		h.Close()
		os.Remove(cp)
		b.StartTimer()
	}
	ms := float64(total.Milliseconds()) / float64(b.N)
	b.ReportMetric(ms, "ms/merge")
	b.ReportMetric(float64(bundleBytes)/2e6, "MB/bundle")
	b.ReportMetric(float64(packTook.Milliseconds())/2, "ms/pack")
	b.ReportMetric(homeMB, "home-MB")
	b.Logf("home of 1000 sites (300 KB HTML + 100 KB JPEG each) %.1f MB; two 500-target bundles (%.1f MB each, %d decisions in all): merged in %.0f ms; packing took %.0f ms each",
		homeMB, float64(bundleBytes)/2e6, want, ms, float64(packTook.Milliseconds())/2)
}

// A bundle still open in the review (its last decisions only in the WAL)
// merges with everything decided so far.
func TestMergeBundleStillOpen(t *testing.T) {
	dir := t.TempDir()
	db, codes := home(t, dir)
	p := filepath.Join(dir, "open.bundle")
	if _, err := db.Pack(p, PackOptions{Round: "2020Q3", TargetsOf: zhang}); err != nil {
		t.Fatal(err)
	}
	bd := openPath(t, p)
	ds, err := bd.Decide(model.Decision{FindingUID: model.FindingUID("2020Q3", codes[1], "site.veto.home_stale", "home"), Action: model.ActionConfirm, By: zhang, At: t0})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p + "-wal"); err != nil {
		t.Fatalf("expected the decision in the WAL: %v", err)
	}
	res, err := db.Merge(p, t0)
	if err != nil || res.Decisions != 1 {
		t.Fatalf("%+v %v", res, err)
	}
	if n := count(t, db, `SELECT count(*) FROM decisions WHERE uid = ?`, ds[0].UID); n != 1 {
		t.Fatal("the decision in the open bundle's WAL did not come home")
	}
}
