// Package sample draws a round's reproducible sample of the registry.
package sample

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"

	"inspector/model"
)

// ParseShare reads a share of the registry: a fraction (0.1) or a
// percentage (10%); 1 or 100% takes all. flagName is for the error.
func ParseShare(flagName, s string) (float64, error) {
	v := strings.TrimSpace(s)
	pct := strings.HasSuffix(v, "%")
	v = strings.TrimSuffix(v, "%")
	f, err := strconv.ParseFloat(v, 64)
	if err == nil && pct {
		f /= 100
	}
	if err != nil || math.IsNaN(f) || f <= 0 || f > 1 {
		return 0, fmt.Errorf("flag %s: %q is not a share like 0.1 or 10%% (more than 0, at most 1)", flagName, s)
	}
	return f, nil
}

// Draw picks ceil(share × n) targets (at least one) reproducibly from seed,
// always including the codes in must. It returns codes in registry order.
func Draw(ts []model.Target, share float64, seed int64, must map[string]bool) []string {
	if len(ts) == 0 {
		return nil
	}
	codes := make([]string, len(ts))
	for i, t := range ts {
		codes[i] = t.Code
	}
	sort.Strings(codes)
	n := int(math.Ceil(share*float64(len(codes)) - 1e-9))
	n = max(1, min(n, len(codes)))
	picked := map[string]bool{}
	for _, c := range codes {
		if must[c] {
			picked[c] = true
		}
	}
	// The kind is mixed into the stream so sites and accounts drawn with
	// the same seed are independent.
	h := fnv.New64a()
	h.Write([]byte(ts[0].Kind))
	r := rand.New(rand.NewPCG(uint64(seed), h.Sum64()))
	order := r.Perm(len(codes))
	for _, i := range order {
		if len(picked) >= n {
			break
		}
		picked[codes[i]] = true
	}
	out := make([]string, 0, len(picked))
	for _, c := range codes {
		if picked[c] {
			out = append(out, c)
		}
	}
	return out
}
