package registry

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"inspector/model"
)

// checkResult is what every parse must satisfy: targets or an error, never
// both; an *ImportError's summary on one line; targets well formed.
func checkResult(t *testing.T, kind string, got []model.Target, err error) {
	t.Helper()
	if err != nil {
		if got != nil {
			t.Fatalf("targets and an error: %v", err)
		}
		var ie *ImportError
		if errors.As(err, &ie) {
			if len(ie.Problems) == 0 {
				t.Fatal("ImportError without problems")
			}
			if strings.ContainsAny(ie.Error(), "\r\n") {
				t.Fatalf("summary not one line: %q", ie.Error())
			}
			_ = ie.Details()
		}
		return
	}
	if len(got) == 0 {
		t.Fatal("no targets and no error")
	}
	seen := map[string]bool{}
	for _, tg := range got {
		if tg.Kind != kind || tg.Code == "" || tg.Name == "" || seen[tg.Code] {
			t.Fatalf("bad target %+v", tg)
		}
		seen[tg.Code] = true
		if !slices.Contains([]string{model.StatusRunning, model.StatusException, model.StatusClosed}, tg.Status) {
			t.Fatalf("status %q", tg.Status)
		}
		if kind == model.KindSite && (len(tg.Code) != SiteCodeLength || tg.URL == "") {
			t.Fatalf("bad site %+v", tg)
		}
		if tg.URL != "" {
			if _, err := checkURL(tg.URL); err != nil {
				t.Fatalf("stored URL %q does not check: %v", tg.URL, err)
			}
		}
	}
}

func FuzzParseCSV(f *testing.F) {
	// Small seeds: every input the fuzzer finds interesting is minimized
	// first, and minimizing is quadratic in the input's length.
	small := [][]string{sitesTable[0][:5], {"6300000035", "甲,乙", "www.a.cn", "丙\n丁", "正常"}}
	f.Add(csvOf(small, "\n"), false)
	f.Add(append([]byte{0xEF, 0xBB, 0xBF}, csvOf(small, "\r\n")...), false)
	f.Add(gbk(f, csvOf(small, "\r\n")), false)
	f.Add([]byte("账号标识,名称,平台,开办主体,链接\ngh_1,甲,微信,乙,\n"), true)
	f.Add([]byte("标识码,名称,网址,主办单位,状态\n123,\"a\nb\",htp:/x,,停\n\n123,a\"b,x.cn,c,关停,d\n"), false)
	f.Add([]byte("\"x,\n\"\"\n"), false)
	f.Add([]byte{}, true)
	f.Fuzz(func(t *testing.T, data []byte, account bool) {
		kind := model.KindSite
		if account {
			kind = model.KindAccount
		}
		got, err := Parse(bytes.NewReader(data), "fuzz.csv", kind)
		checkResult(t, kind, got, err)
	})
}

func FuzzParseXLSX(f *testing.F) {
	f.Add(minimalXLSX(f, [][]string{sitesTable[0][:5], {"6300000035", "甲", "www.a.cn", "乙", "正常"}}))
	f.Add(xlsxOf(f, "Sheet1", sitesTable))
	f.Add(xlsxOf(f, "说明", [][]string{{"名录"}}, "网站", sitesTable[:3]))
	f.Add(xlsxOf(f, "Sheet1", [][]string{{"网站标识码", "备注栏"}, {"1"}}))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := Parse(bytes.NewReader(data), "fuzz.xlsx", model.KindSite)
		checkResult(t, model.KindSite, got, err)
	})
}

func FuzzHeader(f *testing.F) {
	for _, h := range []string{"网站标识码", " *首页网址：", "账号 ID", "（网站名称）", "状态*", "序号", "备注栏", "", "*", "：:", "ＩＤ", "\ufeff网址"} {
		f.Add(h)
	}
	f.Fuzz(func(t *testing.T, h string) {
		n := NormalizeHeader(h)
		if NormalizeHeader(n) != n {
			t.Fatalf("NormalizeHeader not idempotent: %q → %q → %q", h, n, NormalizeHeader(n))
		}
		for _, kind := range []string{model.KindSite, model.KindAccount} {
			field, ok, err := MatchHeader(kind, h)
			if err != nil {
				t.Fatal(err)
			}
			if !ok && field != "" {
				t.Fatalf("%q: field %q without a match", h, field)
			}
			if !utf8.ValidString(h) {
				continue
			}
			// Decoration never changes what a header means.
			for _, d := range []string{" *" + h + "：", "\u3000" + h + " :", "＊" + h, h + "*"} {
				f2, ok2, _ := MatchHeader(kind, d)
				if f2 != field || ok2 != ok {
					t.Fatalf("%s %q → %q %v but %q → %q %v", kind, h, field, ok, d, f2, ok2)
				}
			}
		}
	})
}

// minimalXLSX is the smallest workbook excelize reads: one sheet of inline
// strings, stored uncompressed, so that the fuzzer's mutations reach the
// XML (and minimizing an input stays cheap).
func minimalXLSX(t testing.TB, table [][]string) []byte {
	t.Helper()
	var sheet strings.Builder
	sheet.WriteString(`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	for r, cells := range table {
		fmt.Fprintf(&sheet, `<row r="%d">`, r+1)
		for c, v := range cells {
			name, _ := excelize.CoordinatesToCellName(c+1, r+1)
			var esc strings.Builder
			_ = xml.EscapeText(&esc, []byte(v))
			fmt.Fprintf(&sheet, `<c r="%s" t="inlineStr"><is><t>%s</t></is></c>`, name, esc.String())
		}
		sheet.WriteString(`</row>`)
	}
	sheet.WriteString(`</sheetData></worksheet>`)
	files := []struct{ name, body string }{
		{"[Content_Types].xml", `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`},
		{"_rels/.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`},
		{"xl/worksheets/sheet1.xml", sheet.String()},
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, f.body); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestMinimalXLSX(t *testing.T) {
	got := mustParse(t, minimalXLSX(t, sitesTable), "s.xlsx", "site")
	if !reflect.DeepEqual(got, wantSites) {
		t.Errorf("got %+v", got)
	}
}
