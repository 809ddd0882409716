package registry_test

import (
	"path/filepath"
	"reflect"
	"testing"

	"inspector/model"
	"inspector/province"
	"inspector/registry"
)

// TestProvinceRegistryImportsInEveryEncoding reads the synthetic
// province's registry files (UTF-8, BOM, GBK CSV and XLSX) and expects
// exactly the province's targets from each.
func TestProvinceRegistryImportsInEveryEncoding(t *testing.T) {
	for _, small := range []bool{true, false} {
		p := province.New(province.Options{Seed: 1, Small: small})
		dir := t.TempDir()
		if err := p.WriteRegistry(dir); err != nil {
			t.Fatal(err)
		}
		for kind, want := range map[string][]model.Target{model.KindSite: p.Sites(), model.KindAccount: p.Accounts()} {
			base := "sites"
			if kind == model.KindAccount {
				base = "accounts"
			}
			for _, name := range []string{base + ".csv", base + "-bom.csv", base + "-gbk.csv", base + ".xlsx"} {
				got, err := registry.ParseFile(filepath.Join(dir, name), kind)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("small=%v %s: %d targets differ from the province's %d", small, name, len(got), len(want))
				}
			}
		}
	}
}
