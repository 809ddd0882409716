package store

import (
	"crypto/sha256"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"inspector/model"
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
