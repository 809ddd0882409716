package registry

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"inspector/model"
)

// sitesTable is the reference registry, as a spreadsheet shows it: a
// blank row (row 4) and a cell with a comma and one with a line break.
var sitesTable = [][]string{
	{"网站标识码", "网站名称", "首页网址", "主办单位", "运行状态", "所属地区", "网站类型"},
	{"6300000035", "青海省人民政府", "http://www.qinghai.gov.cn", "青海省人民政府办公厅", "正常运行", "省级", "门户网站"},
	{"6300000036", "青海省林业和草原局, 门户", "www.qhlcj.gov.cn", "青海省林业和草原局\n(省林草局)", "运行正常", "省级", "部门网站(无办事服务)"},
	{},
	{"63010000A1", " 西宁市人民政府 ", "https://www.xining.gov.cn/index.html", "西宁市人民政府办公厅", "例外", "西宁市", "门户网站"},
	{"6301000002", "西宁市教育局", "http://jyj.xining.gov.cn:8080/", "西宁市教育局", "关停", "西宁市", "部门网站"},
}

var wantSites = []model.Target{
	{Code: "6300000035", Kind: "site", Name: "青海省人民政府", URL: "http://www.qinghai.gov.cn", Sponsor: "青海省人民政府办公厅", Status: "正常运行", Region: "省级", Portal: true},
	{Code: "6300000036", Kind: "site", Name: "青海省林业和草原局, 门户", URL: "http://www.qhlcj.gov.cn", Sponsor: "青海省林业和草原局\n(省林草局)", Status: "正常运行", Region: "省级", NoServices: true},
	{Code: "63010000A1", Kind: "site", Name: "西宁市人民政府", URL: "https://www.xining.gov.cn/index.html", Sponsor: "西宁市人民政府办公厅", Status: "例外", Region: "西宁市", Portal: true},
	{Code: "6301000002", Kind: "site", Name: "西宁市教育局", URL: "http://jyj.xining.gov.cn:8080/", Sponsor: "西宁市教育局", Status: "关停", Region: "西宁市"},
}

// csvOf writes a table as CSV, quoting every cell that needs it.
func csvOf(table [][]string, eol string) []byte {
	var b strings.Builder
	for _, r := range table {
		for i, c := range r {
			if i > 0 {
				b.WriteByte(',')
			}
			if strings.ContainsAny(c, ",\"\n\r") {
				c = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
			}
			b.WriteString(c)
		}
		b.WriteString(eol)
	}
	return []byte(b.String())
}

func gbk(t testing.TB, b []byte) []byte {
	t.Helper()
	out, err := simplifiedchinese.GBK.NewEncoder().Bytes(b)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// xlsxOf writes sheets (name → table, in order) as an .xlsx workbook.
func xlsxOf(t testing.TB, sheets ...any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i := 0; i < len(sheets); i += 2 {
		name, table := sheets[i].(string), sheets[i+1].([][]string)
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for r, cells := range table {
			for c, v := range cells {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if err := f.SetCellStr(name, cell, v); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func parse(t testing.TB, data []byte, name, kind string) ([]model.Target, error) {
	t.Helper()
	return Parse(bytes.NewReader(data), name, kind)
}

func mustParse(t *testing.T, data []byte, name, kind string) []model.Target {
	t.Helper()
	got, err := parse(t, data, name, kind)
	if err != nil {
		var ie *ImportError
		if errors.As(err, &ie) {
			t.Fatalf("%v\n%s", err, ie.Details())
		}
		t.Fatal(err)
	}
	return got
}

func TestSitesSameFromEveryFormat(t *testing.T) {
	utf8CSV := csvOf(sitesTable, "\n")
	cases := []struct {
		name string
		file string
		data []byte
	}{
		{"utf8", "sites.csv", utf8CSV},
		{"utf8-crlf", "sites.csv", csvOf(sitesTable, "\r\n")},
		{"bom", "sites.csv", append([]byte{0xEF, 0xBB, 0xBF}, utf8CSV...)},
		{"gbk", "sites.CSV", gbk(t, csvOf(sitesTable, "\r\n"))},
		{"xlsx", "sites.xlsx", xlsxOf(t, "网站", sitesTable)},
		{"xlsx-title-row", "名录.xlsx", xlsxOf(t, "说明", [][]string{{"本表为某省政府网站名录"}},
			"网站", append([][]string{{"某省政府网站名录"}}, sitesTable...))},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := mustParse(t, c.data, c.file, "site")
			if !reflect.DeepEqual(got, wantSites) {
				t.Errorf("got\n%+v\nwant\n%+v", got, wantSites)
			}
		})
	}
}

func TestGBKIsNotValidUTF8(t *testing.T) {
	// The GBK case above only means something if the bytes are not UTF-8.
	if b := gbk(t, csvOf(sitesTable, "\n")); bytes.Equal(b, csvOf(sitesTable, "\n")) {
		t.Fatal("GBK encoding left the file unchanged")
	}
}

func TestParseFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "sites.xlsx")
	if err := os.WriteFile(p, xlsxOf(t, "Sheet1", sitesTable), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := ParseFile(p, "sites")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, wantSites) {
		t.Errorf("got %+v", got)
	}
	if _, err := ParseFile(filepath.Join(dir, "none.csv"), "site"); err == nil || !strings.HasPrefix(err.Error(), "import sites: ") {
		t.Errorf("missing file: %v", err)
	}
	if _, err := parse(t, []byte("x"), "sites.txt", "site"); err == nil || !strings.Contains(err.Error(), `unsupported format ".txt"`) {
		t.Errorf("txt: %v", err)
	}
	if _, err := parse(t, []byte("x"), "sites.xls", "site"); err == nil || !strings.Contains(err.Error(), ".xlsx") {
		t.Errorf("xls: %v", err)
	}
	if _, err := parse(t, csvOf(sitesTable, "\n"), "sites.csv", "blog"); err == nil {
		t.Error("unknown kind accepted")
	}
}

func importError(t *testing.T, data []byte, name, kind string) *ImportError {
	t.Helper()
	got, err := parse(t, data, name, kind)
	if err == nil {
		t.Fatalf("accepted: %+v", got)
	}
	if got != nil {
		t.Errorf("targets returned with an error: %+v", got)
	}
	var ie *ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("not an *ImportError: %v", err)
	}
	if strings.Contains(err.Error(), "\n") {
		t.Errorf("Error() is not one line: %q", err)
	}
	return ie
}

func TestRejectsBadRows(t *testing.T) {
	table := [][]string{
		{"网站标识码", "网站名称", "首页网址", "主办单位", "运行状态"},
		{"6300000035", "甲", "www.a.gov.cn", "甲办", "正常运行"},
		{"12345", "乙", "www.b.gov.cn", "乙办", "正常运行"},
		{"6300000037", "丙", "htp:/x", "丙办", "正常运行"},
		{"6300000035", "丁", "www.d.gov.cn", "丁办", "正常运行"},
		{},
		{"6300000039", "", "www.e.gov.cn", "戊办", "停了"},
		{"6300-00040", "己", "ftp://f.gov.cn", "己办", "关停", "多余"},
	}
	for _, c := range []struct {
		file string
		data []byte
	}{
		{"sites.csv", csvOf(table, "\r\n")},
		{"sites.xlsx", xlsxOf(t, "Sheet1", table)},
	} {
		t.Run(c.file, func(t *testing.T) {
			ie := importError(t, c.data, c.file, "site")
			want := []string{
				`row 3: 网站标识码 "12345" is not 10 characters (it has 5)`,
				`row 4: 首页网址 "htp:/x" is not a URL (want http:// or https:// and a host)`,
				`row 5: 网站标识码 "6300000035" repeats row 2`,
				`row 7: 网站名称 is empty`,
				`row 7: 运行状态 "停了" is not one of 正常运行, 例外, 关停`,
				`row 8: 网站标识码 "6300-00040" has '-', not only letters and digits`,
				`row 8: 首页网址 "ftp://f.gov.cn" is not a URL (scheme "ftp" is not http or https)`,
				`row 8: cell 6 "多余" has no header`,
			}
			if got := strings.Split(ie.Details(), "\n"); !reflect.DeepEqual(got, want) {
				t.Errorf("details:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			summary := "import sites: " + c.file + `: 5 bad rows, 8 problems (first: row 3: 网站标识码 "12345" is not 10 characters (it has 5))`
			if ie.Error() != summary {
				t.Errorf("summary:\n%s\nwant\n%s", ie.Error(), summary)
			}
			if p := ie.Problems[1]; p.Row != 4 || p.Field != "首页网址" {
				t.Errorf("problem: %+v", p)
			}
		})
	}
}

func TestSingleProblemSummary(t *testing.T) {
	table := [][]string{sitesTable[0], sitesTable[1], sitesTable[1]}
	ie := importError(t, csvOf(table, "\n"), "sites.csv", "site")
	if want := `import sites: sites.csv: row 3: 网站标识码 "6300000035" repeats row 2`; ie.Error() != want {
		t.Errorf("got %s", ie.Error())
	}
}

func TestRejectsUnknownHeader(t *testing.T) {
	table := [][]string{
		{"序号", "网站标识码", "网站名称", "首页网址", "主办单位", "运行状态", "所属地区", "备注栏"},
		{"1", "6300000035", "甲", "www.a.gov.cn", "甲办", "正常运行", "省级", "x"},
	}
	ie := importError(t, csvOf(table, "\n"), "sites.csv", "site")
	msg := ie.Error()
	if !strings.HasPrefix(msg, `import sites: sites.csv: header 8 "备注栏" is not understood; known headers: 网站标识码, 标识码`) {
		t.Errorf("got %s", msg)
	}
	if p := ie.Problems[0]; p.Row != 1 || p.Column != 8 || p.Field != "备注栏" {
		t.Errorf("problem %+v", p)
	}
}

func TestRejectsMissingAndRepeatedHeaders(t *testing.T) {
	table := [][]string{
		{"网站标识码", "网站名称", "网站名称", "主办单位", "运行状态"},
		{"6300000035", "甲", "甲", "甲办", "正常运行"},
	}
	ie := importError(t, csvOf(table, "\n"), "sites.csv", "site")
	want := []string{
		`header 3 "网站名称" repeats header 2 "网站名称"`,
		`header 首页网址 is required but missing (accepted: 首页网址, 网站地址, 网址, 首页地址, 域名)`,
	}
	if got := strings.Split(ie.Details(), "\n"); !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%s", ie.Details())
	}
	if !strings.HasPrefix(ie.Error(), "import sites: sites.csv: 2 problems (first: header 3") {
		t.Errorf("summary %s", ie.Error())
	}
}

func TestHeaderVariants(t *testing.T) {
	table := [][]string{
		{" *网站标识码 ", "网站名称：", "　网址", "主办单位名称", "状态*", "所属市州", "类型", "名称"},
		{"６３００００００３５", "甲", "www.a.gov.cn", "甲办", "正常", "西宁市", "部门网站（无办事服务）", "甲乙"},
	}
	got := mustParse(t, csvOf(table, "\n"), "s.csv", "site")
	want := []model.Target{{Code: "6300000035", Kind: "site", Name: "甲", URL: "http://www.a.gov.cn", Sponsor: "甲办",
		Status: "正常运行", Region: "西宁市", NoServices: true}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v", got)
	}
	for header, field := range map[string]string{
		"网站标识码": "code", "标识码：": "code", "*网站代码": "code", "首页网址": "url", "网站地址": "url",
		"首页地址": "url", "域名": "url", "主办单位": "sponsor", "主管单位": "sponsor", "运行状态": "status",
		"地区": "region", "网站类型": "type", "（网站名称）": "",
	} {
		f, ok, err := MatchHeader("site", header)
		if err != nil {
			t.Fatal(err)
		}
		if f != field || ok != (field != "") {
			t.Errorf("site %q: got %q %v, want %q", header, f, ok, field)
		}
	}
	for header, field := range map[string]string{
		"账号标识": "code", "账号ID": "code", "账号 ID": "code", "账号ｉｄ：": "code", "标识": "code",
		"账号名称": "name", "平台类型": "platform", "所属平台": "platform", "开办主体": "sponsor",
		"主页地址": "url", "链接": "url", "状态": "status", "网站标识码": "",
	} {
		f, ok, err := MatchHeader("account", header)
		if err != nil {
			t.Fatal(err)
		}
		if f != field || ok != (field != "") {
			t.Errorf("account %q: got %q %v, want %q", header, f, ok, field)
		}
	}
	if f, ok, _ := MatchHeader("site", "序号"); f != "" || !ok {
		t.Errorf("序号 should be understood and ignored: %q %v", f, ok)
	}
}

func TestAccounts(t *testing.T) {
	table := [][]string{
		{"账号标识", "账号名称", "平台", "开办主体", "链接", "所属地区"},
		{"gh_0a1b2c3d", "青海发布", "微信", "青海省人民政府新闻办公室", "", "省级"},
		{"1234567890", "西宁发布", "微博", "西宁市人民政府新闻办公室", "https://weibo.com/xnfb", "西宁市"},
	}
	want := []model.Target{
		{Code: "gh_0a1b2c3d", Kind: "account", Name: "青海发布", Platform: "微信", Sponsor: "青海省人民政府新闻办公室", Status: "正常运行", Region: "省级"},
		{Code: "1234567890", Kind: "account", Name: "西宁发布", Platform: "微博", Sponsor: "西宁市人民政府新闻办公室", URL: "https://weibo.com/xnfb", Status: "正常运行", Region: "西宁市"},
	}
	for _, c := range []struct {
		file string
		data []byte
	}{
		{"accounts.csv", csvOf(table, "\n")},
		{"accounts.csv", gbk(t, csvOf(table, "\r\n"))},
		{"accounts.xlsx", xlsxOf(t, "Sheet1", table)},
	} {
		got := mustParse(t, c.data, c.file, "accounts")
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %+v", c.file, got)
		}
	}
	bad := [][]string{
		{"账号标识", "账号名称", "平台", "主办单位", "网址", "运行状态"},
		{"a b", "甲", "微信", "甲办", "weibo", "例外"},
	}
	ie := importError(t, csvOf(bad, "\n"), "accounts.csv", "account")
	want2 := "row 2: 账号标识 \"a b\" has ' ' inside\nrow 2: 网址 \"weibo\" is not a URL (want http:// or https:// and a host)"
	if ie.Details() != want2 || !strings.HasPrefix(ie.Error(), "import accounts: accounts.csv: 1 bad row, 2 problems") {
		t.Errorf("got %s\n%s", ie.Error(), ie.Details())
	}
}

func TestCSVQuirks(t *testing.T) {
	// Lazy quotes, a quoted cell over two lines (one spreadsheet row), a
	// row of empty cells and blank lines, and a bad row after them: its
	// number must be the one a spreadsheet shows.
	text := "网站标识码,网站名称,首页网址,主办单位,运行状态\r\n" +
		"6300000035,甲\"乙\"丙,www.a.gov.cn,\"甲办,\r\n二处\",正常运行\r\n" +
		",,,,\r\n" +
		"\r\n" +
		"6300000036,丁,www.b.gov.cn,丁办,正常运行\r\n" +
		"123,戊,www.c.gov.cn,戊办,正常运行\r\n"
	ie := importError(t, []byte(text), "s.csv", "site")
	if want := `row 6: 网站标识码 "123" is not 10 characters (it has 3)`; ie.Details() != want {
		t.Errorf("got %s", ie.Details())
	}
	good := strings.TrimSuffix(text, "123,戊,www.c.gov.cn,戊办,正常运行\r\n")
	got := mustParse(t, []byte(good), "s.csv", "site")
	if len(got) != 2 || got[0].Name != `甲"乙"丙` || got[0].Sponsor != "甲办,\n二处" {
		t.Errorf("got %+v", got)
	}
}

func TestEmptyFiles(t *testing.T) {
	for _, data := range [][]byte{nil, []byte("\n\n"), []byte(",,\n")} {
		if _, err := parse(t, data, "s.csv", "site"); err == nil || !strings.Contains(err.Error(), "no header row") {
			t.Errorf("%q: %v", data, err)
		}
	}
	if _, err := parse(t, csvOf(sitesTable[:1], "\n"), "s.csv", "site"); err == nil || !strings.Contains(err.Error(), "no sites below the header") {
		t.Errorf("header only: %v", err)
	}
	if _, err := parse(t, []byte("PK\x03\x04junk"), "s.xlsx", "site"); err == nil || !strings.Contains(err.Error(), "import sites: s.xlsx: not a readable .xlsx workbook") {
		t.Errorf("junk xlsx: %v", err)
	}
	if _, err := parse(t, []byte{0xFF, 0xFE, 'a', 0}, "s.csv", "site"); err == nil || !strings.Contains(err.Error(), "UTF-16") {
		t.Errorf("utf-16: %v", err)
	}
}

func TestCheckURL(t *testing.T) {
	for in, want := range map[string]string{
		"www.x.gov.cn":               "http://www.x.gov.cn",
		"www.x.gov.cn:8080/a?b=1":    "http://www.x.gov.cn:8080/a?b=1",
		"HTTPS://WWW.X.GOV.CN/":      "HTTPS://WWW.X.GOV.CN/",
		"http://127.0.0.1:8080/":     "http://127.0.0.1:8080/",
		"http：//www.x.gov.cn":        "http://www.x.gov.cn",
		"http://www.青海.gov.cn/index": "http://www.青海.gov.cn/index",
	} {
		if got, err := checkURL(in); err != nil || got != want {
			t.Errorf("%q: got %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"htp:/x", "x", "http://", "http:///a", "mailto:a@b.cn", "http://a..b/", "http://a b.cn", "http://a.cn:99999/", "//www.x.cn", "javascript:alert(1)"} {
		if got, err := checkURL(in); err == nil {
			t.Errorf("%q accepted as %q", in, got)
		}
	}
}

func TestSchemaData(t *testing.T) {
	for _, kind := range []string{"site", "account"} {
		s, err := loadSchema(kind)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(s.statusList, []string{model.StatusRunning, model.StatusException, model.StatusClosed}) {
			t.Errorf("%s statuses %v", kind, s.statusList)
		}
	}
	if _, err := compileSchema([]byte(`{"site":{"fields":[{"field":"code","required":true,"headers":["a"]},{"field":"colour","headers":["b"]}]}}`), "x", "site"); err == nil {
		t.Error("unknown field accepted")
	}
	if _, err := compileSchema([]byte(`{"site":{"fields":[{"field":"code","required":true,"headers":["a"]},{"field":"name","headers":["A "]}]},"statuses":{"正常运行":[]}}`), "x", "site"); err == nil {
		t.Error("one header for two fields accepted")
	}
}
