// Package docx writes a small subset of WordprocessingML (Office Open XML):
// paragraphs of runs with named styles, fonts named (never embedded), an
// A4 page with margins, fixed line spacing and first-line indents in
// characters. It is what an official document (公文) needs and nothing more;
// it is written with archive/zip and encoding/xml escaping only.
package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Alignment of a paragraph.
const (
	AlignBoth   = "both"
	AlignLeft   = "left"
	AlignCenter = "center"
	AlignRight  = "right"
)

// Font is a run's face and size.
type Font struct {
	// EastAsia is the face for Chinese text (仿宋_GB2312); Latin, when
	// set, the face for Latin letters and digits (else EastAsia too).
	EastAsia string
	Latin    string
	// HalfPoints is the size in half-points (3号 = 16 pt = 32).
	HalfPoints int
	Bold       bool
}

// Style is a paragraph style of the document.
type Style struct {
	ID   string // referenced by Paragraph.Style
	Name string
	Font Font
	// Align is one of the Align constants (default both).
	Align string
	// FirstLineChars is the first-line indent in hundredths of a
	// character (200 = two characters).
	FirstLineChars int
	// LeftChars / RightChars indent the whole paragraph, in hundredths of
	// a character.
	LeftChars, RightChars int
	// LineTwips is the fixed line spacing in twentieths of a point
	// (28 pt = 560); zero inherits the document's.
	LineTwips int
	// BeforeTwips / AfterTwips is space around the paragraph.
	BeforeTwips, AfterTwips int
	// KeepNext keeps the paragraph on the page of the next one (headings).
	KeepNext bool
}

// Page is the page set-up, in twips (1/1440 inch).
type Page struct {
	Width, Height            int
	Top, Bottom, Left, Right int
	Header, Footer           int
}

// A4 is 210 × 297 mm.
var A4 = Page{Width: 11906, Height: 16838}

// MM converts millimetres to twips, rounded.
func MM(mm float64) int { return int(mm*1440/25.4 + 0.5) }

// Run is text with an optional font override of its paragraph's style.
type Run struct {
	Text string
	Font *Font
}

// Paragraph is one paragraph: a style and its runs. An empty paragraph is
// a blank line.
type Paragraph struct {
	Style string
	Runs  []Run
	// PageBreakBefore starts the paragraph on a new page.
	PageBreakBefore bool
}

// Document is what Write puts in a .docx.
type Document struct {
	Page Page
	// Default is the body text's style (the document defaults); Styles
	// are the further paragraph styles.
	Default    Style
	Styles     []Style
	Paragraphs []Paragraph
	// Lang is the East Asian language tag (zh-CN).
	Lang string
}

// Write writes the document as a .docx (a zip of XML parts) to w.
func Write(w io.Writer, d *Document) error {
	ids := map[string]bool{}
	for _, s := range d.Styles {
		if s.ID == "" || ids[s.ID] {
			return fmt.Errorf("docx: style %q: empty or duplicate id", s.ID)
		}
		ids[s.ID] = true
	}
	for i, p := range d.Paragraphs {
		if p.Style != "" && !ids[p.Style] {
			return fmt.Errorf("docx: paragraph %d: unknown style %q", i+1, p.Style)
		}
	}
	z := zip.NewWriter(w)
	parts := []struct {
		name string
		body string
	}{
		{"[Content_Types].xml", contentTypes},
		{"_rels/.rels", rootRels},
		{"word/_rels/document.xml.rels", documentRels},
		{"word/styles.xml", stylesXML(d)},
		{"word/settings.xml", settingsXML},
		{"word/document.xml", documentXML(d)},
	}
	for _, p := range parts {
		fw, err := z.Create(p.name)
		if err != nil {
			return fmt.Errorf("docx: %s: %w", p.name, err)
		}
		if _, err := io.WriteString(fw, p.body); err != nil {
			return fmt.Errorf("docx: %s: %w", p.name, err)
		}
	}
	return z.Close()
}

// Bytes is Write into memory.
func Bytes(d *Document) ([]byte, error) {
	var buf bytes.Buffer
	if err := Write(&buf, d); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

const xmlHeader = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

const nsW = `http://schemas.openxmlformats.org/wordprocessingml/2006/main`

const contentTypes = xmlHeader + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/xml"/>` +
	`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
	`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
	`<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>` +
	`</Types>`

const rootRels = xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
	`</Relationships>`

const documentRels = xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>` +
	`</Relationships>`

// settingsXML asks for the document grid Chinese documents use (character
// units for indents) and no automatic spacing between Han and Latin text.
const settingsXML = xmlHeader + `<w:settings xmlns:w="` + nsW + `">` +
	`<w:defaultTabStop w:val="420"/><w:characterSpacingControl w:val="compressPunctuation"/>` +
	`<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>` +
	`</w:settings>`

func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

func attr(s string) string {
	return strings.ReplaceAll(esc(s), `"`, "&quot;")
}

func itoa(n int) string { return strconv.Itoa(n) }

func rPr(f Font, lang string) string {
	var b strings.Builder
	latin := f.Latin
	if latin == "" {
		latin = f.EastAsia
	}
	if f.EastAsia != "" {
		fmt.Fprintf(&b, `<w:rFonts w:ascii="%s" w:hAnsi="%s" w:eastAsia="%s" w:cs="%s" w:hint="eastAsia"/>`,
			attr(latin), attr(latin), attr(f.EastAsia), attr(latin))
	}
	if f.Bold {
		b.WriteString(`<w:b/><w:bCs/>`)
	}
	if f.HalfPoints > 0 {
		fmt.Fprintf(&b, `<w:sz w:val="%d"/><w:szCs w:val="%d"/>`, f.HalfPoints, f.HalfPoints)
	}
	if lang != "" {
		fmt.Fprintf(&b, `<w:lang w:eastAsia="%s"/>`, attr(lang))
	}
	if b.Len() == 0 {
		return ""
	}
	return "<w:rPr>" + b.String() + "</w:rPr>"
}

// pPr is a style's paragraph properties; halfPoints is the font size the
// character-unit indents are reckoned in (for the twips fallback).
func pPr(s Style, halfPoints int) string {
	var b strings.Builder
	if s.KeepNext {
		b.WriteString(`<w:keepNext/>`)
	}
	if s.LineTwips > 0 || s.BeforeTwips > 0 || s.AfterTwips > 0 {
		fmt.Fprintf(&b, `<w:spacing w:before="%d" w:after="%d"`, s.BeforeTwips, s.AfterTwips)
		if s.LineTwips > 0 {
			fmt.Fprintf(&b, ` w:line="%d" w:lineRule="exact"`, s.LineTwips)
		}
		b.WriteString(`/>`)
	}
	// One character is the font size: halfPoints × 10 twips.
	char := halfPoints * 10
	fmt.Fprintf(&b, `<w:ind w:left="%d" w:leftChars="%d" w:right="%d" w:rightChars="%d" w:firstLine="%d" w:firstLineChars="%d"/>`,
		s.LeftChars*char/100, s.LeftChars, s.RightChars*char/100, s.RightChars, s.FirstLineChars*char/100, s.FirstLineChars)
	align := s.Align
	if align == "" {
		align = AlignBoth
	}
	fmt.Fprintf(&b, `<w:jc w:val="%s"/>`, attr(align))
	return "<w:pPr>" + b.String() + "</w:pPr>"
}

func stylesXML(d *Document) string {
	var b strings.Builder
	b.WriteString(xmlHeader)
	b.WriteString(`<w:styles xmlns:w="` + nsW + `">`)
	b.WriteString(`<w:docDefaults><w:rPrDefault>` + rPr(d.Default.Font, d.Lang) + `</w:rPrDefault>`)
	b.WriteString(`<w:pPrDefault>` + pPr(d.Default, d.Default.Font.HalfPoints) + `</w:pPrDefault></w:docDefaults>`)
	b.WriteString(`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>`)
	for _, s := range d.Styles {
		hp := s.Font.HalfPoints
		if hp == 0 {
			hp = d.Default.Font.HalfPoints
		}
		if s.LineTwips == 0 {
			s.LineTwips = d.Default.LineTwips
		}
		name := s.Name
		if name == "" {
			name = s.ID
		}
		fmt.Fprintf(&b, `<w:style w:type="paragraph" w:customStyle="1" w:styleId="%s"><w:name w:val="%s"/><w:basedOn w:val="Normal"/><w:qFormat/>`,
			attr(s.ID), attr(name))
		b.WriteString(pPr(s, hp))
		b.WriteString(rPr(s.Font, ""))
		b.WriteString(`</w:style>`)
	}
	b.WriteString(`</w:styles>`)
	return b.String()
}

func documentXML(d *Document) string {
	var b strings.Builder
	b.WriteString(xmlHeader)
	b.WriteString(`<w:document xmlns:w="` + nsW + `"><w:body>`)
	for _, p := range d.Paragraphs {
		b.WriteString(`<w:p>`)
		if p.Style != "" || p.PageBreakBefore {
			b.WriteString(`<w:pPr>`)
			if p.Style != "" {
				fmt.Fprintf(&b, `<w:pStyle w:val="%s"/>`, attr(p.Style))
			}
			if p.PageBreakBefore {
				b.WriteString(`<w:pageBreakBefore/>`)
			}
			b.WriteString(`</w:pPr>`)
		}
		for _, r := range p.Runs {
			b.WriteString(`<w:r>`)
			if r.Font != nil {
				b.WriteString(rPr(*r.Font, ""))
			}
			// Line breaks inside a run become <w:br/>; text keeps its spaces.
			for i, line := range strings.Split(r.Text, "\n") {
				if i > 0 {
					b.WriteString(`<w:br/>`)
				}
				if line != "" {
					b.WriteString(`<w:t xml:space="preserve">` + esc(line) + `</w:t>`)
				}
			}
			b.WriteString(`</w:r>`)
		}
		b.WriteString(`</w:p>`)
	}
	pg := d.Page
	fmt.Fprintf(&b, `<w:sectPr><w:pgSz w:w="%d" w:h="%d"/><w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="%d" w:footer="%d" w:gutter="0"/>`,
		pg.Width, pg.Height, pg.Top, pg.Right, pg.Bottom, pg.Left, pg.Header, pg.Footer)
	if d.Default.LineTwips > 0 {
		// The document grid: lines of the body's fixed spacing.
		fmt.Fprintf(&b, `<w:docGrid w:type="lines" w:linePitch="%d"/>`, d.Default.LineTwips)
	}
	b.WriteString(`</w:sectPr></w:body></w:document>`)
	return b.String()
}

// Text reads back the paragraphs' text of a .docx's word/document.xml, one
// string per paragraph (runs joined, <w:br/> as a newline): for tests and
// previews.
func Text(data []byte) ([]string, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("docx: %w", err)
	}
	var doc []byte
	for _, f := range zr.File {
		if f.Name != "word/document.xml" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		doc, err = io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, err
		}
	}
	if doc == nil {
		return nil, fmt.Errorf("docx: no word/document.xml")
	}
	dec := xml.NewDecoder(bytes.NewReader(doc))
	var out []string
	var cur strings.Builder
	inText := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("docx: document.xml: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "p":
				cur.Reset()
			case "t":
				inText = true
			case "br":
				cur.WriteByte('\n')
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "p":
				out = append(out, cur.String())
			case "t":
				inText = false
			}
		case xml.CharData:
			if inText {
				cur.Write(t)
			}
		}
	}
	return out, nil
}
