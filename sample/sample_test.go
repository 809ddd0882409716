package sample

import (
	"fmt"
	"reflect"
	"testing"

	"inspector/model"
)

func targets(n int, kind string) []model.Target {
	var ts []model.Target
	for i := 0; i < n; i++ {
		ts = append(ts, model.Target{Code: fmt.Sprintf("A%04d", i), Kind: kind})
	}
	return ts
}

func TestParseShare(t *testing.T) {
	good := map[string]float64{"0.1": 0.1, "10%": 0.1, "1": 1, "100%": 1, " 25% ": 0.25, "0.5": 0.5}
	for in, want := range good {
		got, err := ParseShare("--sample-sites", in)
		if err != nil || got != want {
			t.Errorf("%q: got %v %v, want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "0", "-1", "150%", "1.5", "abc", "NaN", "%"} {
		if _, err := ParseShare("--sample-sites", in); err == nil {
			t.Errorf("%q: want an error", in)
		}
	}
}

func TestDrawIsReproducibleAndSized(t *testing.T) {
	ts := targets(381, model.KindAccount)
	a := Draw(ts, 0.1, 7, nil)
	b := Draw(ts, 0.1, 7, nil)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same seed, different sample")
	}
	if len(a) != 39 { // ceil(38.1)
		t.Fatalf("10%% of 381 is 39, got %d", len(a))
	}
	if c := Draw(ts, 0.1, 8, nil); reflect.DeepEqual(a, c) {
		t.Fatal("another seed gave the same sample")
	}
	if all := Draw(ts, 1, 7, nil); len(all) != 381 {
		t.Fatalf("100%% takes all, got %d", len(all))
	}
	if one := Draw(targets(3, model.KindAccount), 0.1, 1, nil); len(one) != 1 {
		t.Fatalf("at least one, got %d", len(one))
	}
}

func TestDrawKeepsLastRoundsFailures(t *testing.T) {
	ts := targets(100, model.KindAccount)
	must := map[string]bool{"A0042": true, "A0077": true}
	for seed := int64(0); seed < 20; seed++ {
		got := Draw(ts, 0.05, seed, must)
		has := map[string]bool{}
		for _, c := range got {
			has[c] = true
		}
		if !has["A0042"] || !has["A0077"] || len(got) != 5 {
			t.Fatalf("seed %d: %v", seed, got)
		}
	}
}
