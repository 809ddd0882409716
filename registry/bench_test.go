package registry

import (
	"bytes"
	"testing"
)

func BenchmarkParseCSV(b *testing.B) {
	data := csvOf(sitesTable, "\n")
	for b.Loop() {
		if _, err := Parse(bytes.NewReader(data), "s.csv", "site"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseXLSX(b *testing.B) {
	data := xlsxOf(b, "Sheet1", sitesTable)
	for b.Loop() {
		if _, err := Parse(bytes.NewReader(data), "s.xlsx", "site"); err != nil {
			b.Fatal(err)
		}
	}
}
