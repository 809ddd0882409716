// Package assets embeds the product's data: the indicator catalogue, the
// detectors' lexicons, the bulletin templates and the interface's message
// catalogues. Go code elsewhere holds no Chinese phrase lists; it reads them
// from here. An office may override any file by placing one with the same
// relative path in its data directory (see Open).
package assets

import (
	"embed"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

//go:embed catalogue lexicons templates i18n registry
var embedded embed.FS

// FS is the embedded data, read-only.
var FS fs.FS = embedded

// OverrideDir, when set, is searched before the embedded files. The command
// line sets it to the user's data directory.
var OverrideDir string

// ReadFile returns the office's override of name if there is one, else the
// embedded file. The second result names where the data came from, for
// error messages.
func ReadFile(name string) ([]byte, string, error) {
	if OverrideDir != "" {
		p := filepath.Join(OverrideDir, filepath.FromSlash(name))
		b, err := os.ReadFile(p)
		if err == nil {
			return b, p, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, p, err
		}
	}
	b, err := fs.ReadFile(embedded, name)
	return b, "assets/" + name, err
}
