package report

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"

	"inspector/catalog"
	"inspector/model"
	"inspector/report/docx"
)

// attachments lays out 附件1 (sites) and 附件2 (accounts): one row per
// target, failed targets on the first sheet, passed targets with
// deductions on the second.
func attachments(cat *catalog.Catalogue, l *Labels, b *Bulletin) []Attachment {
	mk := func(kind, file, titleFmt string, header []string, es []Entry) Attachment {
		a := Attachment{File: file, Kind: kind, Title: fmt.Sprintf(titleFmt, b.Quarter), Header: header}
		failed := Sheet{Name: l.Sheets.Failed}
		deducted := Sheet{Name: l.Sheets.Deducted}
		for _, e := range es {
			switch {
			case e.Verdict.Verdict == model.VerdictFail:
				failed.Rows = append(failed.Rows, row(cat, l, e, len(failed.Rows)+1))
			case e.Verdict.Verdict == model.VerdictPass && len(e.Findings) > 0:
				deducted.Rows = append(deducted.Rows, row(cat, l, e, len(deducted.Rows)+1))
			}
		}
		a.Sheets = []Sheet{failed, deducted}
		return a
	}
	return []Attachment{
		mk(model.KindSite, l.Files.Sites, l.AttachmentSites, l.Columns.Sites, b.SiteEntries),
		mk(model.KindAccount, l.Files.Accounts, l.AttachmentAccounts, l.Columns.Accounts, b.AccountEntries),
	}
}

// row is 序号, 名称, 主办单位, 标识码, 网址/平台, 问题, 详情, 核查结论, 证据.
func row(cat *catalog.Catalogue, l *Labels, e Entry, n int) []string {
	t := e.Target
	where := t.URL
	if t.Kind == model.KindAccount {
		where = t.Platform
	}
	// Problems in catalogue order, each once; details and evidence by finding.
	seen := map[string]bool{}
	var probs, details, evidence []string
	for _, ind := range cat.ForKind(t.Kind) {
		for _, f := range e.Findings {
			if f.Indicator != ind.Code {
				continue
			}
			if !seen[ind.Code] {
				seen[ind.Code] = true
				probs = append(probs, ind.Name)
			}
			d := f.Detail
			if d == "" {
				d = f.Subject
			}
			details = append(details, fmt.Sprintf(l.DetailFormat, ind.Name, d))
			for _, ev := range f.Evidence {
				var parts []string
				if ev.URL != "" {
					parts = append(parts, ev.URL)
				}
				if !ev.At.IsZero() {
					parts = append(parts, ev.At.UTC().Format("2006-01-02 15:04"))
				}
				if ev.Screenshot != "" {
					s := ev.Screenshot
					if len(s) > 12 && !strings.ContainsAny(s, `/\.`) {
						s = s[:12]
					}
					parts = append(parts, l.Screenshot+" "+s)
				}
				if len(parts) > 0 {
					evidence = append(evidence, strings.Join(parts, " "))
				}
			}
		}
	}
	verdict := l.verdict(e.Verdict.Verdict)
	if e.Verdict.Verdict == model.VerdictPass && l.ScoreFormat != "" {
		verdict = fmt.Sprintf(l.ScoreFormat, verdict, trimScore(e.Verdict.Score))
	}
	if e.Unreviewed {
		verdict += l.PendingMark
	}
	return []string{fmt.Sprint(n), t.Name, t.Sponsor, t.Code, where, strings.Join(probs, l.NameSeparator),
		strings.Join(details, "\n"), verdict, strings.Join(evidence, "\n")}
}

// Write writes bulletin.md, bulletin.docx, the two attachments and the
// internal watchlist.md into dir (created if needed).
func Write(dir string, b *Bulletin) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	l := b.labels
	files := map[string][]byte{
		l.Files.Markdown:  []byte(b.Markdown()),
		l.Files.Watchlist: []byte(b.WatchlistMarkdown()),
	}
	d, err := docx.Bytes(b.Document())
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	files[l.Files.Docx] = d
	for _, a := range b.Attachments {
		x, err := a.xlsx()
		if err != nil {
			return fmt.Errorf("export: %s: %w", a.File, err)
		}
		files[a.File] = x
	}
	for name, data := range files {
		p := filepath.Join(dir, name)
		tmp := p + ".tmp"
		if err := os.WriteFile(tmp, data, 0o644); err != nil {
			return fmt.Errorf("export: %w", err)
		}
		if err := os.Rename(tmp, p); err != nil {
			os.Remove(tmp)
			return fmt.Errorf("export: %w", err)
		}
	}
	return nil
}

// Files lists the names Write writes, bulletin first.
func (b *Bulletin) Files() []string {
	l := b.labels
	return []string{l.Files.Markdown, l.Files.Docx, l.Files.Sites, l.Files.Accounts, l.Files.Watchlist}
}

// Document is the bulletin as an official document (公文) in the layout
// of templates/document.json: A4, 37/35/28/26 mm margins, title 方正小标宋简体
// 2号, body 仿宋_GB2312 3号 with a fixed 28.9 pt line and a two-character
// first-line indent, headings 黑体 3号, run-in headings 楷体_GB2312.
func (b *Bulletin) Document() *docx.Document {
	lay := b.layout
	pg := docx.Page{Width: docx.MM(lay.PageMM.Width), Height: docx.MM(lay.PageMM.Height),
		Top: docx.MM(lay.PageMM.Top), Bottom: docx.MM(lay.PageMM.Bottom), Left: docx.MM(lay.PageMM.Left), Right: docx.MM(lay.PageMM.Right),
		Header: docx.MM(lay.PageMM.Header), Footer: docx.MM(lay.PageMM.Footer)}
	line := int(lay.LinePt*20 + 0.5)
	font := func(s textStyle) docx.Font {
		return docx.Font{EastAsia: s.Font, Latin: lay.LatinFont, HalfPoints: int(s.SizePt*2 + 0.5), Bold: s.Bold}
	}
	style := func(id string, s textStyle) docx.Style {
		return docx.Style{ID: id, Name: id, Font: font(s), Align: s.Align, FirstLineChars: int(s.FirstLineChars * 100),
			LeftChars: int(s.LeftChars * 100), RightChars: int(s.RightChars * 100), LineTwips: int(s.LinePt*20 + 0.5)}
	}
	heading := style("GwHeading", lay.Heading)
	heading.KeepNext = true
	lead := font(lay.Lead)
	d := &docx.Document{
		Page:    pg,
		Lang:    lay.Lang,
		Default: docx.Style{Font: font(lay.Body), FirstLineChars: int(lay.Body.FirstLineChars * 100), LineTwips: line},
		Styles: []docx.Style{style("GwTitle", lay.Title), heading, style("GwBody", lay.Body),
			style("GwIndented", lay.Indented), style("GwSignature", lay.Signature), style("GwNote", lay.Note)},
	}
	for _, p := range b.Paragraphs {
		var dp docx.Paragraph
		switch p.Kind {
		case Title:
			dp = docx.Paragraph{Style: "GwTitle", Runs: []docx.Run{{Text: p.Text}}}
		case Heading:
			dp = docx.Paragraph{Style: "GwHeading", Runs: []docx.Run{{Text: p.Text}}}
		case Signature:
			dp = docx.Paragraph{Style: "GwSignature", Runs: []docx.Run{{Text: p.Text}}}
		case Indented:
			dp = docx.Paragraph{Style: "GwIndented", Runs: []docx.Run{{Text: p.Text}}}
		case Note:
			dp = docx.Paragraph{Style: "GwNote", Runs: []docx.Run{{Text: p.Text}}}
		case Blank:
			dp = docx.Paragraph{Style: "GwBody"}
		default:
			dp = docx.Paragraph{Style: "GwBody"}
			if p.Lead != "" {
				dp.Runs = append(dp.Runs, docx.Run{Text: p.Lead, Font: &lead})
			}
			dp.Runs = append(dp.Runs, docx.Run{Text: p.Text})
		}
		d.Paragraphs = append(d.Paragraphs, dp)
	}
	return d
}

// displayWidth counts East Asian wide characters as 2 columns.
func displayWidth(s string) int {
	w := 0
	for _, r := range s {
		switch {
		case r >= 0x1100 && (r <= 0x115f || r == 0x2329 || r == 0x232a ||
			(r >= 0x2e80 && r <= 0xa4cf && r != 0x303f) || (r >= 0xac00 && r <= 0xd7a3) ||
			(r >= 0xf900 && r <= 0xfaff) || (r >= 0xfe30 && r <= 0xfe4f) || (r >= 0xff00 && r <= 0xff60) ||
			(r >= 0xffe0 && r <= 0xffe6) || (r >= 0x20000 && r <= 0x3fffd)):
			w += 2
		default:
			w++
		}
	}
	return w
}

// colWidth is the widest line of a column's cells, in Excel's character
// units, within bounds.
func colWidth(cells []string) float64 {
	w := 4
	for _, c := range cells {
		for _, line := range strings.Split(c, "\n") {
			w = max(w, displayWidth(line))
		}
	}
	return float64(min(w, 60)) + 2
}

// xlsx writes the attachment: a title row, the header (frozen, with an
// auto filter) and the rows, on each sheet.
func (a Attachment) xlsx() ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	titleStyle, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}})
	if err != nil {
		return nil, err
	}
	border := []excelize.Border{{Type: "left", Color: "999999", Style: 1}, {Type: "right", Color: "999999", Style: 1},
		{Type: "top", Color: "999999", Style: 1}, {Type: "bottom", Color: "999999", Style: 1}}
	headStyle, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Border: border,
		Fill:      excelize.Fill{Type: "pattern", Color: []string{"DDEBF7"}, Pattern: 1},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}})
	if err != nil {
		return nil, err
	}
	cellStyle, err := f.NewStyle(&excelize.Style{Border: border, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	if err != nil {
		return nil, err
	}
	last, _ := excelize.ColumnNumberToName(len(a.Header))
	for i, s := range a.Sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.Name); err != nil {
				return nil, err
			}
		} else if _, err := f.NewSheet(s.Name); err != nil {
			return nil, err
		}
		sh := s.Name
		if err := f.SetCellValue(sh, "A1", a.Title); err != nil {
			return nil, err
		}
		if err := f.MergeCell(sh, "A1", last+"1"); err != nil {
			return nil, err
		}
		f.SetCellStyle(sh, "A1", last+"1", titleStyle)
		f.SetRowHeight(sh, 1, 28)
		if err := f.SetSheetRow(sh, "A2", &a.Header); err != nil {
			return nil, err
		}
		f.SetCellStyle(sh, "A2", last+"2", headStyle)
		for j, r := range s.Rows {
			cells := make([]any, len(r))
			for k, c := range r {
				cells[k] = c
			}
			// 序号 as a number, the rest as text (codes keep leading zeros).
			cells[0] = j + 1
			cell, _ := excelize.CoordinatesToCellName(1, j+3)
			if err := f.SetSheetRow(sh, cell, &cells); err != nil {
				return nil, err
			}
		}
		if len(s.Rows) > 0 {
			f.SetCellStyle(sh, "A3", fmt.Sprintf("%s%d", last, len(s.Rows)+2), cellStyle)
		}
		for c := range a.Header {
			col := []string{a.Header[c]}
			for _, r := range s.Rows {
				col = append(col, r[c])
			}
			name, _ := excelize.ColumnNumberToName(c + 1)
			if err := f.SetColWidth(sh, name, name, colWidth(col)); err != nil {
				return nil, err
			}
		}
		if err := f.SetPanes(sh, &excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"}); err != nil {
			return nil, err
		}
		if err := f.AutoFilter(sh, fmt.Sprintf("A2:%s%d", last, max(len(s.Rows)+2, 3)), nil); err != nil {
			return nil, err
		}
	}
	f.SetActiveSheet(0)
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
