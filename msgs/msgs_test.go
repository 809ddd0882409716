package msgs

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"inspector/assets"
)

func TestCatalogueParses(t *testing.T) {
	b, err := fs.ReadFile(assets.FS, File)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", File, err)
	}
	if err := Err(); err != nil {
		t.Fatal(err)
	}
	for k, v := range m {
		if strings.TrimSpace(v) == "" {
			t.Errorf("%s: empty message", k)
		}
		if _, err := verbs(v); err != nil {
			t.Errorf("%s: %v", k, err)
		}
	}
}

// verbs counts the arguments a format consumes.
func verbs(format string) (int, error) {
	n := 0
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		i++
		if i < len(format) && format[i] == '%' {
			continue
		}
		for i < len(format) && strings.IndexByte("+-# 0123456789.", format[i]) >= 0 {
			i++
		}
		if i >= len(format) {
			return n, fmt.Errorf("format ends inside a verb: %q", format)
		}
		if format[i] == '[' || format[i] == '*' {
			return n, fmt.Errorf("argument indexes and * widths are not used in messages: %q", format)
		}
		n++
	}
	return n, nil
}

// goFiles lists the module's Go sources outside province/ (test-bed
// content) and testdata.
func goFiles(t *testing.T) []string {
	t.Helper()
	root := ".."
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case "province", "testdata", "bin", "node_modules":
				return filepath.SkipDir
			}
			if strings.HasPrefix(d.Name(), ".") && p != root {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(p, ".go") {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestKeysUsed checks every msgs.F call with a literal key: the key is in
// the catalogue and its format takes as many arguments as the call gives.
// It also checks that every catalogue key is written somewhere in the
// code (a key passed through a table or a parameter counts by its
// literal), so that neither side drifts.
func TestKeysUsed(t *testing.T) {
	keys := map[string]bool{}
	for _, k := range Keys() {
		keys[k] = true
	}
	if len(keys) == 0 {
		t.Fatal("empty catalogue")
	}
	literals := map[string]bool{}
	calls := 0
	fset := token.NewFileSet()
	for _, p := range goFiles(t) {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, p, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(p, "_test.go") {
			continue // tests may probe missing keys
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.BasicLit:
				if n.Kind == token.STRING {
					if s, err := strconv.Unquote(n.Value); err == nil {
						literals[s] = true
					}
				}
			case *ast.CallExpr:
				sel, ok := n.Fun.(*ast.SelectorExpr)
				if !ok || sel.Sel.Name != "F" {
					return true
				}
				if id, ok := sel.X.(*ast.Ident); !ok || id.Name != "msgs" {
					return true
				}
				if len(n.Args) == 0 {
					t.Errorf("%s: msgs.F without a key", fset.Position(n.Pos()))
					return true
				}
				lit, ok := n.Args[0].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true // a key from a table: checked by the orphan rule and the package's own tests
				}
				key, _ := strconv.Unquote(lit.Value)
				calls++
				format, ok := catalogue()[key]
				if !ok {
					t.Errorf("%s: key %q is not in %s", fset.Position(n.Pos()), key, File)
					return true
				}
				if n.Ellipsis.IsValid() {
					return true
				}
				want, err := verbs(format)
				if err != nil {
					t.Errorf("%s: %v", fset.Position(n.Pos()), err)
				} else if got := len(n.Args) - 1; got != want {
					t.Errorf("%s: key %q takes %d arguments (%q), the call gives %d", fset.Position(n.Pos()), key, want, format, got)
				}
			}
			return true
		})
	}
	t.Logf("%d msgs.F calls with a literal key, %d catalogue keys", calls, len(keys))
	if calls == 0 {
		t.Fatal("no msgs.F calls found: is the scan looking in the right place?")
	}
	var orphans []string
	for k := range keys {
		if !literals[k] {
			orphans = append(orphans, k)
		}
	}
	sort.Strings(orphans)
	if len(orphans) > 0 {
		t.Errorf("keys in %s that no code names: %v", File, orphans)
	}
}

func TestMissingKeyShows(t *testing.T) {
	if got := F("no.such.key"); got != "⟨no.such.key⟩" {
		t.Errorf("got %q", got)
	}
	if got := F("no.such.key", 3, "x"); got != "⟨no.such.key⟩ 3 x" {
		t.Errorf("got %q", got)
	}
	if got := F("fresh.no_date"); got == "" || strings.Contains(got, "⟨") {
		t.Errorf("fresh.no_date = %q", got)
	}
	if got := List([]string{"a", "b"}); got != "a、b" {
		t.Errorf("List = %q", got)
	}
}

func TestOfficeOverride(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "i18n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(File)), []byte(`{"fresh.no_date": "日期不详"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	old := assets.OverrideDir
	assets.OverrideDir = dir
	reset()
	t.Cleanup(func() { assets.OverrideDir = old; reset() })
	if got := F("fresh.no_date"); got != "日期不详" {
		t.Errorf("override: got %q", got)
	}
	if got := F("links.where.home"); strings.Contains(got, "⟨") {
		t.Errorf("a key the override lacks should come from the embedded catalogue, got %q", got)
	}

	// a broken override is reported and ignored
	if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(File)), []byte(`{`), 0o644); err != nil {
		t.Fatal(err)
	}
	reset()
	if Err() == nil {
		t.Error("a broken override should be reported")
	}
	if got := F("links.where.home"); strings.Contains(got, "⟨") {
		t.Errorf("broken override: got %q", got)
	}
}
