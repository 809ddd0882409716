package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"
)

func sample() *Document {
	body := Font{EastAsia: "仿宋_GB2312", HalfPoints: 32}
	pg := A4
	pg.Top, pg.Bottom, pg.Left, pg.Right = MM(37), MM(35), MM(28), MM(26)
	return &Document{
		Page:    pg,
		Lang:    "zh-CN",
		Default: Style{Font: body, FirstLineChars: 200, LineTwips: 580},
		Styles: []Style{
			{ID: "Title", Name: "公文标题", Font: Font{EastAsia: "方正小标宋简体", HalfPoints: 44}, Align: AlignCenter},
			{ID: "Heading", Font: Font{EastAsia: "黑体", HalfPoints: 32}, FirstLineChars: 200, KeepNext: true},
		},
		Paragraphs: []Paragraph{
			{Style: "Title", Runs: []Run{{Text: "关于<测试>&\"引号\"的通报"}}},
			{Style: "Heading", Runs: []Run{{Text: "一、总体情况"}}},
			{Runs: []Run{{Text: "(一)", Font: &Font{EastAsia: "楷体_GB2312"}}, {Text: "正文 两处空格\n第二行"}}},
			{},
		},
	}
}

func parts(t *testing.T, data []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		out[f.Name] = b
	}
	return out
}

func wellFormed(t *testing.T, name string, b []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(b))
	for {
		_, err := dec.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("%s is not well-formed XML: %v", name, err)
		}
	}
}

func TestWrite(t *testing.T) {
	data, err := Bytes(sample())
	if err != nil {
		t.Fatal(err)
	}
	ps := parts(t, data)
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels", "word/document.xml", "word/styles.xml", "word/settings.xml"} {
		b, ok := ps[name]
		if !ok {
			t.Fatalf("part %s missing", name)
		}
		wellFormed(t, name, b)
	}
	styles := string(ps["word/styles.xml"])
	for _, want := range []string{`w:eastAsia="仿宋_GB2312"`, `w:eastAsia="方正小标宋简体"`, `w:eastAsia="黑体"`,
		`<w:sz w:val="32"/>`, `<w:sz w:val="44"/>`, `w:line="580" w:lineRule="exact"`, `w:firstLineChars="200"`, `<w:jc w:val="center"/>`} {
		if !strings.Contains(styles, want) {
			t.Errorf("styles.xml lacks %s", want)
		}
	}
	doc := string(ps["word/document.xml"])
	for _, want := range []string{`<w:pgSz w:w="11906" w:h="16838"/>`, `w:top="2098"`, `w:bottom="1984"`, `w:left="1587"`, `w:right="1474"`,
		`w:eastAsia="楷体_GB2312"`, `<w:pStyle w:val="Title"/>`, `&lt;测试&gt;&amp;`} {
		if !strings.Contains(doc, want) {
			t.Errorf("document.xml lacks %s", want)
		}
	}
	if !strings.Contains(string(ps["[Content_Types].xml"]), "wordprocessingml.document.main+xml") {
		t.Error("content types lack the main document")
	}
	text, err := Text(data)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{`关于<测试>&"引号"的通报`, "一、总体情况", "(一)正文 两处空格\n第二行", ""}
	if strings.Join(text, "|") != strings.Join(want, "|") {
		t.Errorf("text = %q, want %q", text, want)
	}
}

func TestUnknownStyle(t *testing.T) {
	d := sample()
	d.Paragraphs = append(d.Paragraphs, Paragraph{Style: "Nope"})
	if _, err := Bytes(d); err == nil || !strings.Contains(err.Error(), "Nope") {
		t.Fatalf("err = %v, want unknown style", err)
	}
	d = sample()
	d.Styles = append(d.Styles, Style{ID: "Title"})
	if _, err := Bytes(d); err == nil {
		t.Fatal("duplicate style accepted")
	}
}

func TestMM(t *testing.T) {
	if MM(25.4) != 1440 || MM(37) != 2098 {
		t.Fatalf("MM: %d %d", MM(25.4), MM(37))
	}
}
