package registry

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// decodeText turns a CSV file's bytes into text: a UTF-8 byte order mark
// means UTF-8 (the mark is dropped); valid UTF-8 is UTF-8; anything else is
// read as GB18030, the superset of GBK that Excel and WPS write on Chinese
// Windows. UTF-16 ("Unicode text") is refused with advice.
func decodeText(b []byte) (string, error) {
	switch {
	case bytes.HasPrefix(b, utf8BOM):
		return string(b[len(utf8BOM):]), nil
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return "", errors.New("the file is UTF-16 (\"Unicode text\"); save it as CSV (UTF-8 or GBK) or .xlsx")
	case utf8.Valid(b):
		return string(b), nil
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b)
	if err != nil {
		return "", fmt.Errorf("neither UTF-8 nor GBK: %w", err)
	}
	return string(out), nil
}

// readCSV reads every record with the row number a spreadsheet would show
// for it: blank lines count as rows, and a quoted cell with line breaks
// stays in one row.
func readCSV(b []byte) ([]row, error) {
	text, err := decodeText(b)
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	var rows []row
	num, lastEnd := 0, 0 // row number and last line of the previous record
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err // a *csv.ParseError names the line
		}
		start, _ := r.FieldPos(0)
		gap := start - lastEnd - 1
		if gap < 0 {
			gap = 0
		}
		num += gap + 1
		last, _ := r.FieldPos(len(rec) - 1)
		lastEnd = max(last+strings.Count(rec[len(rec)-1], "\n"), start)
		rows = append(rows, row{num: num, cells: rec})
	}
	return rows, nil
}

// readXLSX reads a workbook's rows: from the first sheet whose header row
// names every required field, else from the first sheet with anything in
// it. Cells are read raw, so a code stored as a number keeps all digits.
func readXLSX(b []byte, s *schema) (rows []row, err error) {
	defer func() {
		// excelize is not hardened against every malformed workbook; a
		// broken file is an error, never a crash.
		if p := recover(); p != nil {
			rows, err = nil, fmt.Errorf("not a readable .xlsx workbook (%v)", p)
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{
		UnzipSizeLimit:    1 << 30,
		UnzipXMLSizeLimit: 64 << 20,
	})
	if err != nil {
		return nil, fmt.Errorf("not a readable .xlsx workbook: %w", err)
	}
	defer f.Close()
	var first []row
	for _, sheet := range f.GetSheetList() {
		cells, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, fmt.Errorf("sheet %q: %w", sheet, err)
		}
		rs := make([]row, len(cells))
		for i, c := range cells {
			rs[i] = row{num: i + 1, cells: c}
		}
		if _, complete := s.findHeader(rs); complete {
			return rs, nil
		}
		if first == nil {
			if hi, _ := s.findHeader(rs); hi >= 0 {
				first = rs
			}
		}
	}
	if first == nil {
		return nil, errNoHeader
	}
	return first, nil
}
