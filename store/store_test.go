package store

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"inspector/model"
)

var t0 = time.Date(2020, 9, 28, 10, 0, 0, 0, time.UTC)

func open(t *testing.T) *DB {
	t.Helper()
	db, err := Open(filepath.Join(t.TempDir(), "i.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func seed(t *testing.T, db *DB) {
	t.Helper()
	ts := []model.Target{
		{Code: "6300000001", Kind: model.KindSite, Name: "青海省粮食局网站", Sponsor: "青海省粮食局", URL: "http://lsj.qinghai.gov.cn", Status: model.StatusRunning},
		{Code: "6300000002", Kind: model.KindSite, Name: "同仁县人民政府网站", Sponsor: "同仁县人民政府", URL: "http://www.tongren.gov.cn", Status: model.StatusRunning},
		{Code: "WX001", Kind: model.KindAccount, Name: "青海发布", Sponsor: "青海省人民政府办公厅", Platform: "微信", Status: model.StatusRunning},
	}
	if _, err := db.ImportTargets(ts, "sites.csv", t0); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateRound(model.Round{Name: "2020Q3", AsOf: time.Date(2020, 9, 28, 0, 0, 0, 0, time.UTC), Seed: 1, Created: t0}, []string{"6300000001", "6300000002", "WX001"}); err != nil {
		t.Fatal(err)
	}
}

func TestOpenSetsPragmasAndVersion(t *testing.T) {
	db := open(t)
	var mode string
	var fk, busy int
	db.SQL().QueryRow(`PRAGMA journal_mode`).Scan(&mode)
	db.SQL().QueryRow(`PRAGMA foreign_keys`).Scan(&fk)
	db.SQL().QueryRow(`PRAGMA busy_timeout`).Scan(&busy)
	if mode != "wal" || fk != 1 || busy < 1000 {
		t.Fatalf("journal_mode=%s foreign_keys=%d busy_timeout=%d", mode, fk, busy)
	}
	v, err := db.SchemaVersion()
	if err != nil || v < 1 {
		t.Fatalf("schema version %d %v", v, err)
	}
	// Reopening applies nothing twice.
	path := db.Path()
	db.Close()
	db2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	if v2, _ := db2.SchemaVersion(); v2 != v {
		t.Fatalf("version moved from %d to %d", v, v2)
	}
}

func TestReimportRecordsChanges(t *testing.T) {
	db := open(t)
	seed(t, db)
	moved := model.Target{Code: "6300000001", Kind: model.KindSite, Name: "青海省粮食局网站", Sponsor: "青海省粮食局", URL: "http://www.qhlsj.gov.cn", Status: model.StatusRunning}
	res, err := db.ImportTargets([]model.Target{moved}, "sites-2.csv", t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if res.Updated != 1 || len(res.Changes) != 1 || res.Changes[0].Field != "url" {
		t.Fatalf("%+v", res)
	}
	ch, _ := db.TargetChanges("6300000001")
	if len(ch) != 1 || ch[0].Old != "http://lsj.qinghai.gov.cn" || ch[0].New != "http://www.qhlsj.gov.cn" || ch[0].Source != "sites-2.csv" {
		t.Fatalf("%+v", ch)
	}
	got, _ := db.Target("6300000001")
	if got.URL != moved.URL {
		t.Fatal("url not updated")
	}
	// A code re-imported as another kind is refused, and nothing is written.
	_, err = db.ImportTargets([]model.Target{{Code: "6300000009", Kind: model.KindSite, Name: "x"}, {Code: "WX001", Kind: model.KindSite, Name: "x"}}, "bad.csv", t0)
	if err == nil || !strings.Contains(err.Error(), "WX001") {
		t.Fatalf("want kind clash error, got %v", err)
	}
	if _, err := db.Target("6300000009"); err == nil {
		t.Fatal("half an import was kept")
	}
}

func TestFindingsDecisionsLifecycle(t *testing.T) {
	db := open(t)
	seed(t, db)
	fs := []model.Finding{
		{Indicator: "site.deduct.home_links", Subject: "http://x/a.html", Detail: "404", Confidence: model.ConfCertain, Count: 2,
			Evidence: []model.Evidence{{URL: "http://x/", Snippet: "a.html", At: t0}}},
		{Indicator: "site.veto.home_stale", Subject: "home", Detail: "最新 2020-08-01"},
	}
	if err := db.ReplaceMachineFindings("2020Q3", "6300000001", fs, t0); err != nil {
		t.Fatal(err)
	}
	got, err := db.Findings(FindingFilter{Round: "2020Q3", Target: "6300000001"})
	if err != nil || len(got) != 2 {
		t.Fatalf("%v %v", got, err)
	}
	if got[0].Status != model.StatusOpen || got[0].Kind != model.KindSite || got[0].Count != 2 || len(got[0].Evidence) != 1 {
		t.Fatalf("%+v", got[0])
	}
	uid := model.FindingUID("2020Q3", "6300000001", "site.deduct.home_links", "http://x/a.html")
	if _, err := db.Decide(model.Decision{FindingUID: uid, Action: model.ActionDismiss, Note: "链接可用", By: "张三", At: t0.Add(time.Minute)}); err != nil {
		t.Fatal(err)
	}
	// Re-analysis producing the same finding keeps its decision; the
	// finding it no longer produces is gone but kept for the log.
	if err := db.ReplaceMachineFindings("2020Q3", "6300000001", fs[:1], t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, _ = db.Findings(FindingFilter{Round: "2020Q3", Target: "6300000001"})
	if len(got) != 1 || got[0].Status != model.StatusDismissed {
		t.Fatalf("%+v", got)
	}
	all, _ := db.Findings(FindingFilter{Round: "2020Q3", Target: "6300000001", WithGone: true})
	if len(all) != 2 {
		t.Fatalf("gone finding not kept: %d", len(all))
	}
	// Undo appends, never rewrites.
	if _, err := db.Undo(uid, "张三", t0.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	f, _ := db.Finding(uid)
	if f.Status != model.StatusOpen {
		t.Fatalf("after undo: %s", f.Status)
	}
	ds, _ := db.Decisions("", uid)
	if len(ds) != 2 {
		t.Fatalf("log has %d entries", len(ds))
	}
	if _, err := db.SQL().Exec(`DELETE FROM decisions`); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Fatalf("delete allowed: %v", err)
	}
	if _, err := db.SQL().Exec(`UPDATE decisions SET action = 'confirm'`); err == nil {
		t.Fatal("update allowed")
	}
	// A decision on a finding that does not exist is refused.
	if _, err := db.Decide(model.Decision{FindingUID: "nope", Action: model.ActionConfirm, By: "x", At: t0}); err == nil {
		t.Fatal("decision on a missing finding accepted")
	}
}

func TestManualFindingsAndConflicts(t *testing.T) {
	db := open(t)
	seed(t, db)
	f, err := db.AddFinding(model.Finding{Round: "2020Q3", Target: "WX001", Indicator: "account.veto.stale", Subject: "最新推文 2020-08-01", Detail: "两周未更新"}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddFinding(model.Finding{Round: "2020Q3", Target: "WX001", Indicator: "account.veto.stale", Subject: "最新推文 2020-08-01", Detail: "again"}, t0); err == nil {
		t.Fatal("duplicate manual finding accepted")
	}
	db.Decide(model.Decision{FindingUID: f.UID, Action: model.ActionConfirm, By: "张三", At: t0})
	db.Decide(model.Decision{FindingUID: f.UID, Action: model.ActionDismiss, By: "李四", At: t0.Add(time.Minute)})
	c, err := db.Conflicts("2020Q3")
	if err != nil || !c[f.UID] {
		t.Fatalf("conflict not seen: %v %v", c, err)
	}
	got, _ := db.Finding(f.UID)
	if got.Status != model.StatusDismissed || got.Source != model.SourceInspector {
		t.Fatalf("later decision must stand: %+v", got)
	}
}

func TestObservationsAndBlobsOncePerHash(t *testing.T) {
	db := open(t)
	seed(t, db)
	shot := []byte("\xff\xd8jpeg")
	for i := 0; i < 3; i++ {
		if _, err := db.SaveObservation(Observation{Round: "2020Q3", Target: "6300000001", Kind: ObsCapture, At: t0.Add(time.Duration(i) * time.Minute), Data: []byte(`{"pages":[]}`)},
			[]Blob{{Mime: "image/jpeg", Data: shot}}); err != nil {
			t.Fatal(err)
		}
	}
	var n int
	db.SQL().QueryRow(`SELECT count(*) FROM blobs`).Scan(&n)
	if n != 1 {
		t.Fatalf("%d blobs for one screenshot", n)
	}
	b, err := db.BlobData(HashOf(shot))
	if err != nil || string(b.Data) != string(shot) {
		t.Fatal(err)
	}
	obs, _ := db.Observations("2020Q3", "6300000001", ObsCapture)
	if len(obs) != 3 || string(obs[0].Data) != `{"pages":[]}` {
		t.Fatalf("%+v", obs)
	}
	p, _ := db.Probed("2020Q3")
	if !p["6300000001"].Equal(t0.Add(2 * time.Minute)) {
		t.Fatalf("probed %v", p)
	}
}

func TestBackupIsAConsistentCopy(t *testing.T) {
	db := open(t)
	seed(t, db)
	out := filepath.Join(t.TempDir(), "copy.db")
	if err := db.Backup(out); err != nil {
		t.Fatal(err)
	}
	cp, err := Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	ts, _ := cp.Targets("")
	if len(ts) != 3 {
		t.Fatalf("copy has %d targets", len(ts))
	}
	if err := db.Backup(out); err == nil {
		t.Fatal("backup overwrote an existing file")
	}
}
