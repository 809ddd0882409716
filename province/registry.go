package province

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// Registry headers, as the national registry (and the importer) spells them.
var (
	SiteHeader    = []string{"网站标识码", "网站名称", "首页网址", "主办单位", "运行状态", "所属地区", "网站类型"}
	AccountHeader = []string{"账号标识", "账号名称", "平台", "主办单位", "网址", "运行状态", "所属地区"}
)

// Registry file names written by WriteRegistry.
const (
	FileSites          = "sites.csv"
	FileSitesBOM       = "sites-bom.csv"
	FileSitesGBK       = "sites-gbk.csv"
	FileSitesXLSX      = "sites.xlsx"
	FileAccounts       = "accounts.csv"
	FileAccountsBOM    = "accounts-bom.csv"
	FileAccountsGBK    = "accounts-gbk.csv"
	FileAccountsXLSX   = "accounts.xlsx"
	FileTruth          = "truth.json"
	siteTypePortal     = "门户网站"
	siteTypeDept       = "部门网站"
	siteTypeDeptNoServ = "部门网站(无办事服务)"
)

func (p *Province) siteRows() [][]string {
	rows := [][]string{SiteHeader}
	for _, s := range p.sites {
		typ := siteTypeDept
		switch {
		case s.t.Portal:
			typ = siteTypePortal
		case s.t.NoServices:
			typ = siteTypeDeptNoServ
		}
		rows = append(rows, []string{s.t.Code, s.t.Name, s.t.URL, s.t.Sponsor, s.t.Status, s.t.Region, typ})
	}
	return rows
}

func (p *Province) accountRows() [][]string {
	rows := [][]string{AccountHeader}
	for _, a := range p.accounts {
		rows = append(rows, []string{a.t.Code, a.t.Name, a.t.Platform, a.t.Sponsor, a.t.URL, a.t.Status, a.t.Region})
	}
	return rows
}

// WriteRegistry writes the registry in every form the importer must read
// (UTF-8, UTF-8 with BOM and GBK CSV, XLSX) and the ground truth into dir,
// creating it if needed. Output is byte-identical for the same seed.
func (p *Province) WriteRegistry(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("province: registry dir: %w", err)
	}
	for _, set := range []struct {
		rows                 [][]string
		utf8, bom, gbk, xlsx string
	}{
		{p.siteRows(), FileSites, FileSitesBOM, FileSitesGBK, FileSitesXLSX},
		{p.accountRows(), FileAccounts, FileAccountsBOM, FileAccountsGBK, FileAccountsXLSX},
	} {
		raw, err := csvBytes(set.rows)
		if err != nil {
			return fmt.Errorf("province: %s: %w", set.utf8, err)
		}
		gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes(raw)
		if err != nil {
			return fmt.Errorf("province: %s: GBK: %w", set.gbk, err)
		}
		xl, err := xlsxBytes(set.rows)
		if err != nil {
			return fmt.Errorf("province: %s: %w", set.xlsx, err)
		}
		for name, b := range map[string][]byte{
			set.utf8: raw,
			set.bom:  append([]byte("\xef\xbb\xbf"), raw...),
			set.gbk:  gbk,
			set.xlsx: xl,
		} {
			if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
				return fmt.Errorf("province: write %s: %w", name, err)
			}
		}
	}
	tj, err := json.MarshalIndent(p.truth, "", "  ")
	if err != nil {
		return fmt.Errorf("province: truth: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, FileTruth), append(tj, '\n'), 0o644); err != nil {
		return fmt.Errorf("province: write %s: %w", FileTruth, err)
	}
	return nil
}

func csvBytes(rows [][]string) ([]byte, error) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.WriteAll(rows); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// xlsxBytes writes one sheet. Document times are pinned so that the file
// does not depend on the wall clock.
func xlsxBytes(rows [][]string) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Sheet1"
	for i, r := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			return nil, err
		}
		row := make([]any, len(r))
		for j, v := range r {
			row[j] = v
		}
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			return nil, fmt.Errorf("row %d: %w", i+1, err)
		}
	}
	stamp := AsOfDate.Format("2006-01-02T15:04:05Z")
	if err := f.SetDocProps(&excelize.DocProperties{Created: stamp, Modified: stamp, Creator: "inspector province", LastModifiedBy: "inspector province"}); err != nil {
		return nil, fmt.Errorf("doc props: %w", err)
	}
	b, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
