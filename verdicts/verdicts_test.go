package verdicts

import (
	"path/filepath"
	"testing"
	"time"

	"inspector/catalog"
	"inspector/model"
	"inspector/store"
)

func TestRoundCombinesProbesDecisionsAndReviews(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "i.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	at := time.Date(2020, 9, 28, 9, 0, 0, 0, time.UTC)
	ts := []model.Target{
		{Code: "6300000001", Kind: model.KindSite, Name: "甲"},
		{Code: "6300000002", Kind: model.KindSite, Name: "乙"},
		{Code: "6300000003", Kind: model.KindSite, Name: "丙"},
		{Code: "WX1", Kind: model.KindAccount, Name: "丁"},
	}
	db.ImportTargets(ts, "t.csv", at)
	db.CreateRound(model.Round{Name: "R", AsOf: at, Created: at}, []string{"6300000001", "6300000002", "6300000003", "WX1"})
	// 1: probed, a veto, confirmed → fail, reviewed.
	db.SaveObservation(store.Observation{Round: "R", Target: "6300000001", Kind: store.ObsCapture, At: at, Data: []byte("{}")}, nil)
	db.ReplaceMachineFindings("R", "6300000001", []model.Finding{{Indicator: "site.veto.home_stale", Subject: "home"}}, at)
	db.Decide(model.Decision{FindingUID: model.FindingUID("R", "6300000001", "site.veto.home_stale", "home"), Action: model.ActionConfirm, By: "a", At: at})
	// 2: probed, clean, not yet marked → pass, unreviewed.
	db.SaveObservation(store.Observation{Round: "R", Target: "6300000002", Kind: store.ObsCapture, At: at, Data: []byte("{}")}, nil)
	// 3: nothing → pending. WX1: marked reviewed with nothing found → pass.
	db.MarkReviewed("R", "WX1", "a", at)

	rows, err := Round(db, catalog.MustLoad(), "R")
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		verdict  string
		reviewed bool
	}{{"fail", true}, {"pass", false}, {"pending", false}, {"pass", true}}
	if len(rows) != len(want) {
		t.Fatalf("%d rows", len(rows))
	}
	for i, w := range want {
		if rows[i].Verdict.Verdict != w.verdict || rows[i].Reviewed != w.reviewed {
			t.Errorf("%s: %s reviewed=%v, want %s %v", rows[i].Target.Code, rows[i].Verdict.Verdict, rows[i].Reviewed, w.verdict, w.reviewed)
		}
	}
	if rows[0].Probed.IsZero() || !rows[2].Probed.IsZero() {
		t.Error("probe times wrong")
	}
}
